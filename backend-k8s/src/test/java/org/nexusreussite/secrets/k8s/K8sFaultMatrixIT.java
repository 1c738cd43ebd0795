package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.nexusreussite.secrets.buildsupport.server.ToxiproxyServer;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * The fault matrix for the Kubernetes API backend (issue 12, standing defences): the backend as an application
 * gets it (the provider builds the fabric8 client from a kubeconfig, with its retry limit, timeouts and answer
 * cap), through a real Toxiproxy, to fabric8's mock API server in CRUD mode. For each fault (latency, drip,
 * stall after the headers, reset, black hole): a read fails within {@code SECRETS_K8S_TIMEOUT} (or, for latency,
 * succeeds), the resolver serves the last value while the fault lasts (within max-stale), picks up a new value
 * once the fault is removed, and no thread is left behind once the backends are closed.
 *
 * <p>The resolver here reads through refreshes only, not the backend's watch: fabric8's mock server delivers
 * watch events synchronously inside the write that causes them, and waits up to 30 s for a websocket write the
 * fault holds ("VertxMockWebSocket write did not complete within 30s", measured under RESET_PEER), which
 * stalls every other request to it; a real API server does not. The watch's own recovery after a lost
 * connection is covered by {@code K8sSecretBackendFailuresIT}.
 */
class K8sFaultMatrixIT {
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  // SECRETS_K8S_TIMEOUT plus a fixed slack for scheduling noise on a loaded 2-core machine; a read that takes
  // twice the deadline (a retry after a passed deadline) fails the test
  private static final Duration BOUND = DEADLINE.plusSeconds(1);
  private static final AtomicInteger SECRETS = new AtomicInteger();

  private static KubernetesMockServer server;
  private static KubernetesClient admin;
  private static ToxiproxyServer.Proxy proxy;
  private static Path kubeconfig;
  private static String previousKubeconfig;
  private static int threadsBefore;

  // a Secret per test: the informers of one test never see another's writes
  private final String secret = "matrix-" + SECRETS.incrementAndGet();

  @BeforeAll
  static void startServers() throws Exception {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init();
    admin = server.createClient(); // writes as kubectl would, around the proxy
    proxy = ToxiproxyServer.shared().proxy("k8s-matrix", server.getPort());
    kubeconfig = Files.createTempFile("k8s-matrix", ".kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: %s
        contexts:
        - name: ctx
          context: { cluster: c, user: u, namespace: %s }
        current-context: ctx
        users:
        - name: u
          user:
            token: matrix-token
        """.formatted(proxy.url("http", "127.0.0.1"), SecretObjects.NAMESPACE));
    previousKubeconfig = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", kubeconfig.toString());
    // warm up (class loading, the first client) so that the first fault is not measured on a cold JVM
    SecretObjects.put(admin, "warm-up", "X", "x");
    try (K8sSecretBackend warm = backend("warm-up")) {
      warm.fetch("X", VersionSelector.latest());
    }
    threadsBefore = Threads.live();
  }

  @AfterEach
  void heal() {
    proxy.heal();
  }

  @AfterAll
  static void noThreadIsLeftBehind() throws Exception {
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
    Files.deleteIfExists(kubeconfig);
    proxy.close();
    int after = Threads.settleTo(threadsBefore + 4, Duration.ofSeconds(10));
    admin.close();
    server.destroy();
    assertThat(after).as("live threads after the matrix (before: %d): %s", threadsBefore, Threads.names())
        .isLessThanOrEqualTo(threadsBefore + 4);
  }

  /** The backend built by the provider from the kubeconfig, as in an application. */
  private static K8sSecretBackend backend(String secret) {
    return (K8sSecretBackend) new K8sBackendProvider().create(TestBackendContext.of(K8sSecretBackend.ID,
        Map.of(K8sBackendProvider.SECRET, secret, K8sBackendProvider.NAMESPACE, SecretObjects.NAMESPACE,
            K8sBackendProvider.TIMEOUT, DEADLINE.toMillis() + "ms")));
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aReadUnderTheFaultEndsWithinItsDeadline(Fault fault) {
    SecretObjects.put(admin, secret, "API_KEY", "v1");
    try (K8sSecretBackend backend = backend(secret)) {
      assertThat(backend.fetch("API_KEY", VersionSelector.latest())).isPresent(); // connected
      proxy.inject(fault);

      long start = System.nanoTime();
      if (fault.failsTheCall()) {
        assertThatThrownBy(() -> backend.fetch("API_KEY", VersionSelector.latest()))
            .isInstanceOf(BackendUnavailableException.class)
            .hasMessageContaining("Kubernetes API at")
            .hasMessageContaining("Secret '" + secret + "'");
      } else {
        assertThat(backend.fetch("API_KEY", VersionSelector.latest())).isPresent();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void theResolverServesTheLastValueDuringTheFaultAndRecoversAfterIt(Fault fault) {
    SecretObjects.put(admin, secret, "API_KEY", "before");
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (K8sSecretBackend backend = backend(secret);
        SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(Map.of()))
            .backend(new WithoutWatch(backend), K8sBackendProvider.ORDINAL).clock(clock).scheduler(scheduler)
            .refreshInterval(Duration.ofMinutes(1)).maxStale(Duration.ofMinutes(10)).build()) {
      assertThat(resolver.resolve("API_KEY")).isEqualTo("before");

      proxy.inject(fault);
      SecretObjects.put(admin, secret, "API_KEY", "after"); // around the proxy: the store changes meanwhile
      // the refresh (due within the 1 min interval, jitter only shortens it) and its first retries run here,
      // under the fault, each bounded by the deadline
      long start = System.nanoTime();
      scheduler.advance(Duration.ofSeconds(61));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the refreshes under the fault")
          .isLessThan(Duration.ofSeconds(30));
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
