package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/** A whole application importing {@code nexus-secrets:} over the discovered in-memory store. */
@SpringBootTest(classes = TestApp.class, properties = {
    "spring.config.import=nexus-secrets:",
    "nexus.secrets.memory.store=spring-boot-test",
    "app.jwt.key=${JWT_SECRET_KEY}",
    "app.db.url=${DATABASE_URL}",
    "nexus.secrets.required=JWT_SECRET_KEY,DATABASE_URL",
    "nexus.secrets.spring.refresh-debounce=200ms",
    "management.endpoints.web.exposure.include=*",
    "management.endpoint.env.show-values=always",
    "management.endpoint.configprops.show-values=always"})
class SecretsSpringBootTest {
  static final InMemorySecretBackend STORE = seeded();

  private static InMemorySecretBackend seeded() {
    InMemorySecretBackend store = MemoryBackendProvider.named("spring-boot-test");
    store.put("JWT_SECRET_KEY", "jwt-one");
    store.put("DATABASE_URL", "postgres://db/one");
    store.put("API_TOKEN", "token-0");
    store.put("SERVICE_TOKEN", "service-one");
    return store;
  }

  @Autowired Environment environment;
  @Autowired TestApp.JwtProperties jwt;
  @Autowired TestApp.ValueHolder values;
  @Autowired TestApp.Events events;
  @Autowired SecretResolver resolver;
  @Autowired TestApp.TokenClient tokenClient;
  @Autowired SecretsHealthIndicator health;
  @Autowired MeterRegistry meters;
  @Autowired EnvironmentEndpoint env;
  @Autowired SecretsEndpoint endpoint;

  @Test
  void placeholdersValueAndConfigurationPropertiesAreServedFromTheStore() {
    assertThat(environment.getProperty("app.db.url")).isEqualTo("postgres://db/one");
    assertThat(values.databaseUrl).isEqualTo("postgres://db/one");
    assertThat(jwt.getKey()).startsWith("jwt-");
  }

  @Test
  void theResolverBeanIsTheOneThePropertySourceReads() {
    assertThat(environment.getProperty("JWT_SECRET_KEY")).isEqualTo(resolver.resolve("JWT_SECRET_KEY"));
    assertThat(resolver.inspect().describe().backends()).anyMatch(b -> b.id().equals("memory") && b.active());
  }

  @Test
  void aRotationIsSeenByTheEnvironmentAtOnceAndByConfigurationPropertiesAfterTheRefresh() {
    int changesBefore = events.changes.size();
    STORE.put("JWT_SECRET_KEY", "jwt-two");
    resolver.admin().refresh("JWT_SECRET_KEY");

    assertThat(environment.getProperty("app.jwt.key")).isEqualTo("jwt-two");
    await(() -> "jwt-two".equals(jwt.getKey()));
    assertThat(events.rotations).anyMatch(e -> e.key().equals("JWT_SECRET_KEY"));
    await(() -> events.changes.stream().skip(changesBefore).anyMatch(c -> c.getKeys().contains("JWT_SECRET_KEY")));
  }

  @Test
  void aRefreshScopeBeanIsRebuiltWithTheRotatedSecret() {
    assertThat(tokenClient.token()).isEqualTo("service-one");
    STORE.put("SERVICE_TOKEN", "service-two");
    resolver.admin().refresh("SERVICE_TOKEN");
    await(() -> "service-two".equals(tokenClient.token()));
  }

  @Test
  void aBurstOfRotationsCausesOneRefresh() {
    assertThat(environment.getProperty("API_TOKEN")).isEqualTo("token-0");
    sleep(500); // let a refresh of an earlier test's rotation pass
    int changesBefore = events.changes.size();
    for (int i = 1; i <= 5; i++) {
      STORE.put("API_TOKEN", "token-" + i);
      resolver.admin().refresh("API_TOKEN");
    }
    await(() -> events.changes.size() > changesBefore);
    sleep(500);
    assertThat(events.changes.size()).isEqualTo(changesBefore + 1);
  }

  @Test
  void healthIsUpWithPerBackendDetails() {
    var h = health.health(); // Health moved between Boot 3.5 and 4.0: not named, so this test runs on both
    assertThat(h.getStatus().getCode()).isEqualTo("UP");
    @SuppressWarnings("unchecked")
    Map<String, Object> backends = (Map<String, Object>) h.getDetails().get("backends");
    assertThat(backends).containsKey("memory");
    assertThat(h.getDetails()).containsEntry("required", 2);
  }

  @Test
  void metricsCountLookupsWithBackendAndOutcomeTagsOnly() throws Exception {
    resolver.admin().refresh().get(10, java.util.concurrent.TimeUnit.SECONDS);
    FunctionTimer refreshed = meters.find("nexus.secrets.refreshes").tag("backend", "memory")
        .tag("outcome", "success").functionTimer();
    assertThat(refreshed).isNotNull();
    assertThat(refreshed.count()).isGreaterThan(0);
    assertThat(meters.find("nexus.secrets.refreshes").tag("outcome", "failure").functionTimer()).isNotNull();
    FunctionTimer found = meters.find("nexus.secrets.lookups").tag("backend", "memory").tag("outcome", "found")
        .functionTimer();
    assertThat(found).isNotNull();
    assertThat(found.count()).isGreaterThan(0);
    FunctionCounter rotations = meters.find("nexus.secrets.rotations").functionCounter();
    assertThat(rotations).isNotNull();
    assertThat(meters.find("nexus.secrets.stale.entries").gauge()).isNotNull();
    assertThat(meters.find("nexus.secrets.backend.up").tag("backend", "memory").gauge().value()).isEqualTo(1.0);
    for (Meter m : meters.getMeters()) {
      if (m.getId().getName().startsWith("nexus.secrets")) {
        assertThat(m.getId().getTags()).allMatch(t -> t.getKey().equals("backend") || t.getKey().equals("outcome"));
      }
    }
  }

  @Test
  void actuatorEnvMasksTheSecretsSourceEvenWithShowValuesAlways() {
    var entry = env.environmentEntry("JWT_SECRET_KEY");
    assertThat(entry.getProperty()).isNotNull();
    assertThat(entry.getProperty().getValue()).isEqualTo("******");
    assertThat(entry.getProperty().getSource()).isEqualTo(SecretsPropertySource.NAME);
    // a property whose placeholder resolves to a served secret is masked by value
    var db = env.environmentEntry("app.db.url");
    assertThat(String.valueOf(db.getProperty().getValue())).doesNotContain("postgres://");
  }

  @Test
  void theEndpointDescribesAndExplainsWithoutValues() {
    Map<String, Object> d = endpoint.describe();
    assertThat(d).containsKeys("profile", "backends", "required");
    Map<String, Object> e = endpoint.explain("DATABASE_URL");
    assertThat(e).containsEntry("backend", "memory").containsKey("version");
    assertThat(e.toString()).doesNotContain("postgres://");
    assertThat(endpoint.explain("not a key")).containsKey("error");
  }

  static void await(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 5 s");
      }
      sleep(10);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
