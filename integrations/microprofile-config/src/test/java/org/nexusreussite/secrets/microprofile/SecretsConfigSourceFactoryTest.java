package org.nexusreussite.secrets.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.logging.LogRedaction;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

class SecretsConfigSourceFactoryTest {
  private static final String CANARY = "canary-7f3a9c21-value";

  private InMemorySecretBackend store;
  private final List<SmallRyeConfig> built = new ArrayList<>();

  @BeforeEach
  void freshStore() {
    store = new InMemorySecretBackend("memory");
    MemoryBackendProvider.store = store;
  }

  /** application.properties at Quarkus's ordinal 250. */
  private static PropertiesConfigSource applicationProperties(Map<String, String> properties) {
    return new PropertiesConfigSource(properties, "application.properties", 250);
  }

  private static SmallRyeConfigBuilder builder(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withSources(applicationProperties(properties))
        .withSources(new SecretsConfigSourceFactory());
  }

  private static SecretsConfigSource sdkSource(SmallRyeConfig config) {
    return StreamSupport.stream(config.getConfigSources().spliterator(), false)
        .filter(SecretsConfigSource.class::isInstance).map(SecretsConfigSource.class::cast)
        .findFirst().orElseThrow();
  }

  @AfterEach
  void uninstallRedaction() {
    LogRedaction.reset();
  }

  @Test
  void logRedactionFollowsTheSourcesResolver() {
    // the source's resolver is not the Secrets default, which the log adapters would follow otherwise
    store.put("API_TOKEN", "api-token-value-9d2e71");

    SmallRyeConfig config = builder(Map.of()).build();

    assertThat(config.getValue("API_TOKEN", String.class)).isEqualTo("api-token-value-9d2e71");
    assertThat(LogRedaction.redactor().redact("calling with api-token-value-9d2e71"))
        .isEqualTo("calling with [secret:API_TOKEN]");
  }

  @Test
  void aDiscardedConfigClosesItsResolver() throws Exception {
    store.put("DATABASE_URL", "postgres://db/app");
    readOnceAndDiscard();

    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (store.closeCount() == 0 && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(50);
    }
    assertThat(store.closeCount()).as("the resolver (and so its backends) closed after the config was collected")
        .isPositive();
  }

  private void readOnceAndDiscard() {
    SmallRyeConfig config = builder(Map.of()).build();
    assertThat(config.getValue("DATABASE_URL", String.class)).isEqualTo("postgres://db/app");
    assertThat(store.closeCount()).isZero();
  }

  @Test
  void theFactoryIsRegisteredForTheServiceLoader() {
    store.put("DATABASE_URL", "postgres://db/app");

    SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredSources().build();

    assertThat(config.getValue("DATABASE_URL", String.class)).isEqualTo("postgres://db/app");
    assertThat(config.getConfigValue("DATABASE_URL").getConfigSourceName()).isEqualTo(SecretsConfigSource.NAME);
  }

  @Test
  void placeholdersInApplicationPropertiesResolveThroughTheSdk() {
    store.put("DATABASE_URL", "postgres://db/app");

    SmallRyeConfig config = builder(Map.of("app.datasource.url", "${DATABASE_URL}?ssl=true")).build();

    assertThat(config.getValue("app.datasource.url", String.class)).isEqualTo("postgres://db/app?ssl=true");
  }

  @Test
  void aSecretOverridesApplicationPropertiesByDefault() {
    store.put("DATABASE_URL", "postgres://vault/app");

    SmallRyeConfig config = builder(Map.of("DATABASE_URL", "postgres://localhost/dev")).build();

    assertThat(config.getValue("DATABASE_URL", String.class)).isEqualTo("postgres://vault/app");
    assertThat(config.getConfigValue("DATABASE_URL").getSourceOrdinal()).isEqualTo(270);
  }

  @Test
  void theEnvironmentOverridesASecretByDefault() {
    store.put("DATABASE_URL", "postgres://vault/app");

    SmallRyeConfig config = builder(Map.of())
        .withSources(new EnvConfigSource(Map.of("DATABASE_URL", "postgres://operator/override"), 300))
        .build();

    assertThat(config.getValue("DATABASE_URL", String.class)).isEqualTo("postgres://operator/override");
  }

  @Test
  void quarkusDotenvAt295OverridesASecretByDefault() {
    store.put("DATABASE_URL", "postgres://vault/app");

    SmallRyeConfig config = builder(Map.of())
        .withSources(new PropertiesConfigSource(Map.of("DATABASE_URL", "postgres://dotenv/dev"), ".env", 295))
        .build();

    assertThat(config.getValue("DATABASE_URL", String.class)).isEqualTo("postgres://dotenv/dev");
  }

  @Test
  void theOrdinalIsASettingReadFromApplicationProperties() {
    store.put("DATABASE_URL", "postgres://vault/app");

    SmallRyeConfig config = builder(Map.of("secrets.config.ordinal", "350"))
        .withSources(new EnvConfigSource(Map.of("DATABASE_URL", "postgres://operator/override"), 300))
        .build();

    assertThat(config.getValue("DATABASE_URL", String.class)).isEqualTo("postgres://vault/app");
    assertThat(sdkSource(config).getOrdinal()).isEqualTo(350);
  }

  @Test
  void theProdProfileMakesTheSdkStrictAndMissingRequiredKeysFailWithTheSdkReport() {
    store.put("DATABASE_URL", "postgres://vault/app");
    Map<String, String> props = Map.of("%prod.secrets.required", "DATABASE_URL,JWT_SECRET_KEY");

    Throwable thrown = catchThrowable(() -> builder(props).withProfile("prod").build());

    MissingSecretsException missing = findCause(thrown, MissingSecretsException.class);
    assertThat(missing.missingKeys()).containsExactly("JWT_SECRET_KEY");
    assertThat(missing.getMessage()).contains("Missing required secrets", "JWT_SECRET_KEY", "memory");
  }

  @Test
  void theDevProfileIsNotStrictAndIgnoresProdOnlySettings() {
    Map<String, String> props = Map.of("%prod.secrets.required", "JWT_SECRET_KEY");

    SmallRyeConfig config = builder(props).withProfile("dev").build();

    assertThat(config.getOptionalValue("JWT_SECRET_KEY", String.class)).isEmpty();
  }

  @Test
  void anExplicitSdkProfileWinsOverTheConfigProfile() {
    Map<String, String> props = Map.of("secrets.profile", "development", "secrets.required", "JWT_SECRET_KEY");

    SmallRyeConfig config = builder(props).withProfile("prod").build();

    assertThat(config.getOptionalValue("JWT_SECRET_KEY", String.class)).isEmpty();
  }

  @Test
  void theOffSwitchCanBeSetPerProfile() {
    store.put("DATABASE_URL", "postgres://vault/app");
    Map<String, String> props = Map.of("%test.secrets.config.enabled", "false");

    assertThat(builder(props).withProfile("test").build().getOptionalValue("DATABASE_URL", String.class)).isEmpty();
    assertThat(builder(props).withProfile("dev").build().getOptionalValue("DATABASE_URL", String.class)).isPresent();
  }

  @Test
  void aRequiredKeyThatResolvesLetsTheProdConfigBuild() {
    store.put("JWT_SECRET_KEY", CANARY);

    SmallRyeConfig config = builder(Map.of("secrets.required", "JWT_SECRET_KEY")).withProfile("prod").build();

    assertThat(config.getValue("JWT_SECRET_KEY", String.class)).isEqualTo(CANARY);
  }

  @Test
  void aRotationIsSeenByTheNextGetValue() {
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemorySecretBackend vault = new InMemorySecretBackend("vault", clock);
    vault.put("DB_PASSWORD", "generation-1");
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(vault, 300).clock(clock).scheduler(scheduler).refreshInterval(Duration.ofMinutes(1)).build()) {
      SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(SecretsConfigSource.of(resolver)).build();
      assertThat(config.getValue("DB_PASSWORD", String.class)).isEqualTo("generation-1");

      vault.put("DB_PASSWORD", "generation-2");
      scheduler.advance(Duration.ofMinutes(2));

      assertThat(config.getValue("DB_PASSWORD", String.class)).isEqualTo("generation-2");
    }
  }

  @Test
  void secretNamesAreNeverListed() {
    store.put("DATABASE_URL", "postgres://vault/app");

    SmallRyeConfig config = builder(Map.of()).build();

    assertThat(config.getValue("DATABASE_URL", String.class)).isNotNull();
    assertThat(config.getPropertyNames()).doesNotContain("DATABASE_URL");
    assertThat(sdkSource(config).getPropertyNames()).isEmpty();
    assertThat(sdkSource(config).getProperties()).isEmpty();
  }

  @Test
  void frameworkPropertiesAndSdkSettingsNeverReachAStore() {
    SmallRyeConfig config = builder(Map.of()).build();

    config.getOptionalValue("quarkus.http.port", String.class);
    config.getOptionalValue("secrets.cache.refresh", String.class);
    config.getOptionalValue("APP_NAME", String.class);

    assertThat(store.fetchCount("quarkus.http.port")).isZero();
    assertThat(store.fetchCount("secrets.cache.refresh")).isZero();
    assertThat(store.fetchCount("APP_NAME")).isPositive();
  }

  @Test
  void skippedPrefixesAreASetting() {
    store.put("quarkus.datasource.password", "from-the-store");

    SmallRyeConfig config = builder(Map.of("secrets.config.skipped-prefixes", "legacy.")).build();

    assertThat(config.getValue("quarkus.datasource.password", String.class)).isEqualTo("from-the-store");
  }

  @Test
  void theSourceCanBeTurnedOff() {
    store.put("DATABASE_URL", "postgres://vault/app");

    SmallRyeConfig config = builder(Map.of("secrets.config.enabled", "false")).build();

    assertThat(config.getOptionalValue("DATABASE_URL", String.class)).isEmpty();
  }

  @Test
  void aFailingStoreIsAnErrorNotAFallThroughToApplicationProperties() {
    store.put("DB_PASSWORD", CANARY);
    SmallRyeConfig config = builder(Map.of("DB_PASSWORD", "dev-password")).build();
    store.failAlways(() -> new BackendUnavailableException("memory", "connection refused"));

    assertThatThrownBy(() -> config.getValue("DB_PASSWORD", String.class))
        .satisfies(e -> assertThat(findCause(e, BackendUnavailableException.class).backendId())
            .isEqualTo("memory"));
  }

  @Test
  void settingsComeFromApplicationPropertiesForARealDotenvFile(@TempDir Path dir) throws Exception {
    Path env = dir.resolve(".env");
    Files.writeString(env, "API_TOKEN=from-dotenv\n");
    Files.setPosixFilePermissions(env, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    SmallRyeConfig config = builder(Map.of("secrets.dotenv.dir", dir.toString())).build();

    assertThat(config.getValue("API_TOKEN", String.class)).isEqualTo("from-dotenv");
    assertThat(config.getConfigValue("API_TOKEN").getConfigSourceName()).isEqualTo(SecretsConfigSource.NAME);
  }

  @Test
  void noMessageOrToStringCarriesAServedValue() {
    store.put("JWT_SECRET_KEY", CANARY);
    List<String> texts = new ArrayList<>();
    SmallRyeConfig config = builder(Map.of("app.key", "${JWT_SECRET_KEY}")).build();
    assertThat(config.getValue("app.key", String.class)).isEqualTo(CANARY);
    SecretsConfigSource source = sdkSource(config);
    texts.add(source.toString());
    texts.add(source.getName());
    texts.add(String.valueOf(source.getPropertyNames()));
    texts.add(String.valueOf(config.getConfigValue("JWT_SECRET_KEY").getConfigSourceName()));
    store.failAlways(() -> new BackendUnavailableException("memory", "connection refused"));
    store.put("OTHER", CANARY);
    texts.add(stackTrace(catchThrowable(() -> config.getValue("OTHER", String.class))));
    Map<String, String> strict = new HashMap<>(Map.of("secrets.required", "JWT_SECRET_KEY,MISSING_ONE"));
    store.recover();
    texts.add(stackTrace(catchThrowable(() -> builder(strict).withProfile("prod").build())));

    assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain(CANARY));
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }

  private static <T extends Throwable> T findCause(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + thrown, thrown);
  }
}
