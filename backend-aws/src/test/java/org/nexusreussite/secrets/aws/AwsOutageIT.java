package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;

/**
 * An AWS outage with a moto server of its own, stopped mid-test: stale values until max-stale, then
 * {@link BackendUnavailableException}; after a restart (same port, empty state, re-seeded) it recovers.
 */
class AwsOutageIT {
  private static final Duration REFRESH = Duration.ofMinutes(1);
  private static final Duration MAX_STALE = Duration.ofMinutes(10);
  private final MotoServer server = new MotoServer();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void staleValuesAreServedUntilMaxStaleThenReadsFailAndARestartRecovers() {
    server.start();
    try (MotoSecrets moto = new MotoSecrets(server);
        SecretResolver resolver = SecretResolver.builder()
            .config(moto.config("SECRETS_AWS_PREFIX", "outage/", "SECRETS_AWS_MAX_ATTEMPTS", "1"))
            .provider(new AwsBackendProvider()).clock(clock).scheduler(scheduler)
            .refreshInterval(REFRESH).maxStale(MAX_STALE).build()) {
      moto.put("outage/DATABASE_URL", "postgres://before");
      assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://before");

      server.close();
      scheduler.advance(REFRESH.plusSeconds(5));

      assertThat(resolver.resolve("DATABASE_URL")).as("stale within max-stale").isEqualTo("postgres://before");
      assertThat(health(resolver)).isEqualTo(BackendHealth.Status.DEGRADED);

      advanceInSteps(MAX_STALE);

      assertThatThrownBy(() -> resolver.resolve("DATABASE_URL"))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("Could not reach AWS Secrets Manager")
          .hasMessageContaining(server.endpoint())
          .hasMessageContaining("outage/DATABASE_URL")
          .hasMessageNotContaining("postgres://before");
      assertThat(health(resolver)).isEqualTo(BackendHealth.Status.DOWN);

      server.start();
      moto.put("outage/DATABASE_URL", "postgres://after");
      advanceInSteps(Duration.ofMinutes(1));

      assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://after");
      assertThat(health(resolver)).isEqualTo(BackendHealth.Status.UP);
    }
  }

  /** Advances in 10-second steps so the resolver's retries (1 s to 20 s backoff) run as they fall due. */
  private void advanceInSteps(Duration total) {
    for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plusSeconds(10)) {
      scheduler.advance(Duration.ofSeconds(10));
    }
  }

  private static BackendHealth.Status health(SecretResolver resolver) {
    return resolver.inspect().health().stream().filter(h -> h.backendId().equals("aws")).findFirst().orElseThrow().status();
  }
}
