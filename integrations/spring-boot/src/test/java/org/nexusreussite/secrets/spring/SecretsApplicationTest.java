package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.logging.LogRedaction;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Whole applications started as users start them: profiles, start-up refusals, a registered resolver. */
class SecretsApplicationTest {
  private InMemorySecretBackend store;

  @BeforeEach
  void seed() {
    store = MemoryBackendProvider.fresh();
    store.put("JWT_SECRET_KEY", "jwt-one");
    store.put("DATABASE_URL", "postgres://db/one");
  }

  static SpringApplicationBuilder app(String... properties) {
    List<String> all = new ArrayList<>(List.of("spring.config.import=nexus-secrets:", "app.jwt.key=${JWT_SECRET_KEY}",
        "spring.main.banner-mode=off"));
    all.addAll(List.of(properties));
    return new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE).properties(all.toArray(String[]::new));
  }

  @Test
  void logRedactionFollowsTheStartersResolverWhileTheContextRuns() {
    // the starter's resolver is not the Secrets default, which the log adapters would follow otherwise
    store.put("API_TOKEN", "api-token-value-2f9c41");
    try (ConfigurableApplicationContext context = app().run()) {
      assertThat(context.getEnvironment().getProperty("API_TOKEN")).isEqualTo("api-token-value-2f9c41");
      assertThat(LogRedaction.redactor().redact("calling with api-token-value-2f9c41"))
          .isEqualTo("calling with [secret:API_TOKEN]");
    }
    assertThat(LogRedaction.redactor().redact("calling with api-token-value-2f9c41"))
        .as("uninstalled with the context").isEqualTo("calling with api-token-value-2f9c41");
  }

  @Test
  void twoImportsWithDifferentRequiredKeysFailInsteadOfIgnoringTheSecond() {
    Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
        .properties("spring.config.import=nexus-secrets:required=JWT_SECRET_KEY,nexus-secrets:required=DATABASE_URL",
            "spring.main.banner-mode=off").run());
    assertThat(rootCause(failure)).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("spring.config.import").hasMessageContaining("JWT_SECRET_KEY")
        .hasMessageContaining("DATABASE_URL").hasMessageContaining("required=A+B");
  }

  @Test
  void aStrictSpringProfileRefusesToStartWithTheSdkReport() {
    Throwable failure = catchThrowable(
        () -> app("nexus.secrets.required=JWT_SECRET_KEY,PAYMENT_API_KEY").profiles("prod").run());
    assertThat(failure).isInstanceOf(MissingSecretsException.class)
        .hasMessageContaining("Missing required secrets in prod: PAYMENT_API_KEY (searched: ");
    // the analyzer Spring finds in spring.factories turns it into Description / Action
    FailureAnalysis analysis = analyze(failure);
    assertThat(analysis.getDescription()).contains("Missing required secrets in prod: PAYMENT_API_KEY")
        .contains("PAYMENT_API_KEY: env: not found; memory: not found").doesNotContain("- Ensure");
    assertThat(analysis.getAction()).contains("Provide each missing secret").contains("secrets doctor");
  }

  @Test
  void settingsInAProfileSpecificFileFailStartUpInsteadOfBeingIgnored() {
    // application-late.properties (test resources) sets nexus.secrets.cache.refresh and vault.path; Spring reads
    // it after resolving the import, so the resolver could not have used them
    Throwable failure = catchThrowable(() -> app().profiles("late").run());
    assertThat(failure).hasRootCauseInstanceOf(BackendConfigurationException.class);
    assertThat(rootCause(failure).getMessage()).contains("nexus.secrets.cache.refresh", "vault.path",
        "application.properties").doesNotContain("7s").doesNotContain("secret/late");
    SecurityGuide.assertDocumented(rootCause(failure).getMessage());
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  static FailureAnalysis analyze(Throwable failure) {
    List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation()
        .load(FailureAnalyzer.class, SpringFactoriesLoader.ArgumentResolver.none(),
            (type, name, error) -> { }); // Spring's own analyzers need constructor arguments; we need only ours
    for (FailureAnalyzer a : analyzers) {
      if (a instanceof SecretsFailureAnalyzer) {
        FailureAnalysis analysis = a.analyze(failure);
        assertThat(analysis).isNotNull();
        return analysis;
      }
    }
    throw new AssertionError("SecretsFailureAnalyzer is not registered in spring.factories");
  }

  @Test
  void requiredKeysMayBeGivenInTheImportLocation() {
    assertThatThrownBy(() -> new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
        .properties("spring.config.import=nexus-secrets:required=JWT_SECRET_KEY+PAYMENT_API_KEY",
            "app.jwt.key=${JWT_SECRET_KEY}")
        .profiles("production").run())
        .isInstanceOf(MissingSecretsException.class)
        .hasMessageContaining("PAYMENT_API_KEY");
  }

  @Test
  void aNonStrictProfileStartsAndServesWhatExists() {
    try (ConfigurableApplicationContext ctx = app("nexus.secrets.required=JWT_SECRET_KEY,PAYMENT_API_KEY")
        .profiles("dev").run()) {
      assertThat(ctx.getEnvironment().getProperty("app.jwt.key")).isEqualTo("jwt-one");
      assertThat(ctx.getBean(SecretResolver.class).inspect().describe().profile().name()).isEqualTo("dev");
    }
  }

  @Test
  void anUnknownImportOptionFailsNamingIt() {
    Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
        .properties("spring.config.import=nexus-secrets:ordinal=5").run());
    assertThat(failure).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("Unknown option 'ordinal'").hasMessageContaining("spring.config.import");
    SecurityGuide.assertDocumented(failure.getMessage());
    assertThat(analyze(failure).getAction()).contains("Correct the setting");
  }

  @Test
  void aBadSdkSettingFailsNamingTheSetting() {
    Throwable failure = catchThrowable(() -> app("nexus.secrets.cache.refresh=soon").run());
    assertThat(failure).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_CACHE_REFRESH").hasMessageNotContaining("soon");
    assertThat(analyze(failure).getDescription()).contains("SECRETS_CACHE_REFRESH");
  }

  @Test
  void aConfiguredStoreWhoseJarIsMissingStopsAStrictProfile() {
    Throwable failure = catchThrowable(() -> app("nexus.secrets.aws.secret-id=app/prod", "nexus.secrets.backends=memory")
        .profiles("prod").run());
    assertThat(failure).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_AWS_SECRET_ID is set but secrets-backend-aws is not on the classpath");
    assertThat(analyze(failure).getAction()).contains("backend jar");
  }

  @Test
  void aResolverRegisteredInTheBootstrapRegistryIsUsedAndBecomesTheBean() {
    InMemorySecretBackend registered = new InMemorySecretBackend("registered");
    registered.put("JWT_SECRET_KEY", "from-registry");
    registered.put("DATABASE_URL", "postgres://registry");
    SecretResolver resolver = SecretResolver.builder().backend(registered, 500).build();
    try (ConfigurableApplicationContext ctx = app()
        .addBootstrapRegistryInitializer(r -> r.register(SecretResolver.class, bootstrap -> resolver))
        .run()) {
      assertThat(ctx.getEnvironment().getProperty("app.jwt.key")).isEqualTo("from-registry");
      assertThat(ctx.getBean(SecretResolver.class)).isSameAs(resolver);
    }
    assertThat(registered.closed()).isTrue();
  }

  @Test
  void theStarterBuiltResolverIsClosedWithTheContext() {
    try (ConfigurableApplicationContext ctx = app().run()) {
      assertThat(ctx.getBean(SecretsBootstrap.class).resolver()).isSameAs(ctx.getBean(SecretResolver.class));
    }
    assertThat(store.closed()).isTrue();
  }

  @Test
  void theImportedResolverIsClosedEvenWhenTheApplicationDefinesItsOwnBean() {
    InMemorySecretBackend own = new InMemorySecretBackend("own");
    own.put("OWN", "mine");
    try (ConfigurableApplicationContext ctx = app()
        .sources(TestApp.class, SecretsAutoConfigurationTest.OwnResolver.class).run()) {
      assertThat(ctx.getBean(SecretResolver.class).resolve("OWN")).isEqualTo("mine");
      assertThat(ctx.getEnvironment().getProperty("app.jwt.key")).isEqualTo("jwt-one");
    }
    assertThat(store.closed()).isTrue();
  }

  @Test
  void optionalImportStartsWithoutTheSecretsWhenNothingIsRequired() {
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TestApp.class)
        .web(WebApplicationType.NONE)
        .properties("spring.config.import=optional:nexus-secrets:", "app.jwt.key=${JWT_SECRET_KEY}").run()) {
      assertThat(ctx.getEnvironment().getProperty("app.jwt.key")).isEqualTo("jwt-one");
    }
  }
}
