package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.fault.Fault;
import org.nexusreussite.secrets.buildsupport.fault.Threads;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.buildsupport.server.ToxiproxyServer;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * The fault matrix for Vault (issue 12, standing defences): a real OpenBao behind a real Toxiproxy, and for each
 * fault (latency, drip, stall after the headers, reset, black hole): a read fails within its deadline (or, for
 * latency, succeeds), the resolver serves the last value while the fault lasts (within max-stale), picks up a
 * new value once the fault is removed, and no thread is left behind.
 */
class VaultFaultMatrixIT {
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  // the deadline, plus scheduling noise on a shared 2-core machine
  private static final Duration BOUND = Duration.ofMillis(2500);

  private static ToxiproxyServer.Proxy proxy;
  private static int threadsBefore;

  @TempDir
  Path home;

  private final String rel = "matrix-" + UUID.randomUUID();

  @BeforeAll
  static void startServers() {
    OpenBaoServer bao = OpenBaoServer.shared();
    proxy = ToxiproxyServer.shared().proxy("vault-matrix", bao.port());
    threadsBefore = Threads.live();
  }

  @AfterEach
  void heal() {
    proxy.heal();
  }

  @AfterAll
  static void noThreadIsLeftBehind() {
    proxy.close();
    // a few threads may appear for good: the JDK's HTTP client pool, shared timers; not one per fault
    int after = Threads.settleTo(threadsBefore + 4, Duration.ofSeconds(10));
    assertThat(after).as("live threads after the matrix (before: %d): %s", threadsBefore, Threads.names())
        .isLessThanOrEqualTo(threadsBefore + 4);
  }

  private Map<String, String> settings() {
    OpenBaoServer bao = OpenBaoServer.shared();
    return Map.of("VAULT_ADDR", proxy.url("http", "127.0.0.1"), "VAULT_TOKEN", bao.rootToken(),
        "VAULT_PATH", "secret/" + rel, "SECRETS_VAULT_RETRIES", "1", "SECRETS_VAULT_RETRY_BACKOFF", "10ms",
        "SECRETS_VAULT_READ_TIMEOUT", DEADLINE.toMillis() + "ms", "SECRETS_VAULT_KV_VERSION", "2");
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aReadUnderTheFaultEndsWithinItsDeadline(Fault fault) {
    Bao.putV2(OpenBaoServer.shared(), rel, Map.of("API_KEY", "v1"));
    ManualClock clock = new ManualClock();
    try (VaultSecretBackend backend = (VaultSecretBackend) new VaultBackendProvider(() -> home).create(
        TestBackendContext.of(VaultBackendProvider.ID, settings()).withClock(clock)
            .withScheduler(new ManualScheduler(clock)))) {
      assertThat(backend.fetch("API_KEY", VersionSelector.latest())).isPresent(); // token looked up, mount known
      proxy.inject(fault);

      long start = System.nanoTime();
      if (fault.failsTheCall()) {
        assertThatThrownBy(() -> backend.fetch("API_KEY", VersionSelector.latest()))
            .isInstanceOf(BackendUnavailableException.class)
            .hasMessageContaining("Vault at");
      } else {
        assertThat(backend.fetch("API_KEY", VersionSelector.latest())).isPresent();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void theResolverServesTheLastValueDuringTheFaultAndRecoversAfterIt(Fault fault) {
    OpenBaoServer bao = OpenBaoServer.shared();
    Bao.putV2(bao, rel, Map.of("API_KEY", "before"));
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(settings()))
        .provider(new VaultBackendProvider(() -> home)).clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofMinutes(1)).maxStale(Duration.ofMinutes(10)).build()) {
      assertThat(resolver.resolve("API_KEY")).isEqualTo("before");

      proxy.inject(fault);
      Bao.putV2(bao, rel, Map.of("API_KEY", "after"));
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
