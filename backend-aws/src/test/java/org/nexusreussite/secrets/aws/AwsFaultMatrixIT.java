package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.fault.Fault;
import org.nexusreussite.secrets.buildsupport.fault.Threads;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;
import org.nexusreussite.secrets.buildsupport.server.ToxiproxyServer;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * The fault matrix for AWS (issue 12, standing defences): a real moto behind a real Toxiproxy, and for each
 * fault (latency, drip, stall after the headers, reset, black hole): a read fails within its deadline (or, for
 * latency, succeeds), the resolver serves the last value while the fault lasts (within max-stale), picks up a
 * new value once the fault is removed, and no thread is left behind.
 */
class AwsFaultMatrixIT {
  // SECRETS_AWS_CALL_TIMEOUT, plus scheduling noise on a shared 2-core machine
  private static final Duration BOUND = Duration.ofMillis(3000);

  private static MotoSecrets moto;
  private static ToxiproxyServer.Proxy proxy;
  private static int threadsBefore;

  private final String prefix = "matrix-" + UUID.randomUUID() + "/";

  @BeforeAll
  static void startServers() {
    MotoServer server = MotoServer.shared();
    moto = new MotoSecrets(server);
    proxy = ToxiproxyServer.shared().proxy("aws-matrix", server.port());
    threadsBefore = Threads.live();
  }

  @AfterEach
  void heal() {
    proxy.heal();
  }

  @AfterAll
  static void noThreadIsLeftBehind() {
    proxy.close();
    moto.close();
    int after = Threads.settleTo(threadsBefore + 4, Duration.ofSeconds(10));
    assertThat(after).as("live threads after the matrix (before: %d): %s", threadsBefore, Threads.names())
        .isLessThanOrEqualTo(threadsBefore + 4);
  }

  private SecretsConfig config() {
    return moto.config("AWS_ENDPOINT_URL_SECRETS_MANAGER", proxy.url("http", "127.0.0.1"),
        "SECRETS_AWS_PREFIX", prefix, "SECRETS_AWS_WARMUP", "false", "SECRETS_AWS_MAX_ATTEMPTS", "2",
        "SECRETS_AWS_TIMEOUT", "1s", "SECRETS_AWS_CALL_TIMEOUT", "2s");
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aReadUnderTheFaultEndsWithinItsDeadline(Fault fault) {
    moto.put(prefix + "API_KEY", "v1");
    try (SecretBackend backend = new AwsBackendProvider().create(TestBackendContext.of(AwsSecretBackend.ID,
        config()))) {
      assertThat(backend.fetch("API_KEY", VersionSelector.latest())).isPresent();
      proxy.inject(fault);

      long start = System.nanoTime();
      if (fault.failsTheCall()) {
        assertThatThrownBy(() -> backend.fetch("API_KEY", VersionSelector.latest()))
            .isInstanceOf(BackendUnavailableException.class)
            .hasMessageContaining("AWS Secrets Manager");
      } else {
        assertThat(backend.fetch("API_KEY", VersionSelector.latest())).isPresent();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void theResolverServesTheLastValueDuringTheFaultAndRecoversAfterIt(Fault fault) {
    moto.put(prefix + "API_KEY", "before");
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (SecretResolver resolver = SecretResolver.builder().config(config())
        .provider(new AwsBackendProvider()).clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofMinutes(1)).maxStale(Duration.ofMinutes(10)).build()) {
      assertThat(resolver.resolve("API_KEY")).isEqualTo("before");

      proxy.inject(fault);
      moto.put(prefix + "API_KEY", "after");
      // the refresh (due within the 1 min interval, jitter only shortens it) and its first retries run here,
      // under the fault, each bounded by the deadline
      scheduler.advance(Duration.ofSeconds(61));
      if (fault.failsTheCall()) {
        assertThat(resolver.resolve("API_KEY")).isEqualTo("before"); // stale, within max-stale
      }

      proxy.heal();
      scheduler.advance(Duration.ofMinutes(2));
      scheduler.advance(Duration.ofMinutes(2));
      assertThat(resolver.resolve("API_KEY")).isEqualTo("after");
    }
  }
}
