package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** Max-stale is a hard bound, counted on the resolver's clock from the first failed refresh. */
class MaxStaleTest {

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend vault = f.backend("vault");

  @Test
  void noReadReturnsTheOldValueOnceMaxStaleHasPassedSinceFailuresStarted() {
    vault.put("KEY", "old");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("KEY");
      vault.failAlways(() -> new BackendUnavailableException("vault", "connection refused"));
      r.admin().refresh("KEY"); // failures start now

      f.scheduler.advance(ResolverFixture.MAX_STALE.minusMillis(1));
      assertThat(r.resolve("KEY")).as("within max-stale the cached value is served").isEqualTo("old");

      f.scheduler.advance(Duration.ofMillis(2)); // no retry is due in these 2 ms: only the deadline acts
      assertThatThrownBy(() -> r.resolve("KEY")).isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("connection refused");
      assertThatThrownBy(() -> r.find("KEY")).isInstanceOf(BackendUnavailableException.class);
      assertThat(r.inspect().explain("KEY").cacheState()).isEqualTo(SecretExplanation.CacheState.FAILED);
    }
  }

  @Test
  void aRecoveredBackendServesAgainAfterTheBoundExpiredTheEntry() {
    vault.put("KEY", "old");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("KEY");
      vault.failAlways(() -> new BackendUnavailableException("vault", "connection refused"));
      r.admin().refresh("KEY");
      f.scheduler.advance(ResolverFixture.MAX_STALE.plusSeconds(1));
      assertThatThrownBy(() -> r.resolve("KEY")).isInstanceOf(BackendUnavailableException.class);

      vault.recover();
      vault.put("KEY", "new");
      f.scheduler.advance(Duration.ofSeconds(25)); // the failed entry's retry, at most 20 s away
      assertThat(r.resolve("KEY")).isEqualTo("new");
    }
  }

  @Test
  void theBoundHoldsWhenTheBackendStampsSecretsWithAnotherClock() {
    // the manual clock starts years before the system clock the backend stamps with
    ManualClock clock = new ManualClock(Instant.parse("2020-01-01T00:00:00Z"));
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemorySecretBackend systemClocked = new InMemorySecretBackend("vault");
    systemClocked.put("KEY", "old");
    try (SecretResolver r = SecretResolver.builder().config(org.nexusreussite.secrets.SecretsConfig.empty())
        .backend(systemClocked, 300).clock(clock).scheduler(scheduler).maxStale(Duration.ofMinutes(10))
        .build()) {
      r.resolve("KEY");
      systemClocked.failAlways(() -> new BackendUnavailableException("vault", "down"));
      r.admin().refresh("KEY");
      scheduler.advance(Duration.ofMinutes(10).plusSeconds(1));
      assertThatThrownBy(() -> r.resolve("KEY")).isInstanceOf(BackendUnavailableException.class);
    }
  }
}
