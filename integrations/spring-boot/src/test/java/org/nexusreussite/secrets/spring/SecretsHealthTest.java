package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** The {@code secrets} health entry's verdict and details, on a manual clock, without a Spring context. */
class SecretsHealthTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemorySecretBackend store = new InMemorySecretBackend("memory",
      java.util.EnumSet.of(org.nexusreussite.secrets.spi.Capability.VERSIONS), clock);

  private SecretResolver resolver(String... required) {
    return SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_CACHE_REFRESH", "1m", "SECRETS_CACHE_MAX_STALE", "10m")))
        .backend(store, 300).clock(clock).scheduler(scheduler).require(required).build();
  }

  @Test
  void aRequiredKeyThatCannotBeServedMakesTheEntryDownAndIsNamed() {
    store.put("DATABASE_URL", "postgres://canary-health");
    try (SecretResolver r = resolver("DATABASE_URL", "JWT_SECRET_KEY")) {
      SecretsHealth.Result result = new SecretsHealth(r).check();
      assertThat(result.down()).isTrue();
      assertThat(result.details()).containsEntry("missing", java.util.List.of("JWT_SECRET_KEY"))
          .containsEntry("required", 2);
      assertThat(result.details().toString()).doesNotContain("canary-health");
    }
  }

  @Test
  void aFailingStoreIsStaleThenDownOncePastMaxStale() {
    store.put("DATABASE_URL", "postgres://canary-health");
    try (SecretResolver r = resolver("DATABASE_URL")) {
      r.resolve("DATABASE_URL");
      assertThat(new SecretsHealth(r).check().down()).isFalse();

      store.failAlways(() -> new BackendUnavailableException("memory", "injected outage"));
      scheduler.advance(Duration.ofMinutes(1));
      SecretsHealth.Result stale = new SecretsHealth(r).check();
      assertThat(stale.down()).as("stale values still served within max-stale").isFalse();
      assertThat(backend(stale)).containsEntry("status", "DEGRADED").containsEntry("stale", true);

      scheduler.advance(Duration.ofMinutes(11));
      SecretsHealth.Result down = new SecretsHealth(r).check();
      assertThat(down.down()).as("past max-stale nothing is left to serve").isTrue();
      assertThat(down.details().toString()).doesNotContain("canary-health");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> backend(SecretsHealth.Result result) {
    return (Map<String, Object>) ((Map<String, Object>) result.details().get("backends")).get("memory");
  }
}
