package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretListBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.buildsupport.server.TestTools;

/**
 * The API mode when things go wrong, against fabric8's mock API server in expectation mode: 401 and 403
 * on reads, 5xx after the client's bounded retries, list or watch forbidden while reads work, an
 * unreachable API server, and a watch that loses its server and re-establishes itself once it is back.
 */
class K8sSecretBackendFailuresIT {
  private static final String SECRET_PATH = "/api/v1/namespaces/test/secrets/app";
  // the informer's requests for one Secret (fabric8 8.0): the first list, a re-list, and the watch
  private static final String LIST_PATH = "/api/v1/namespaces/test/secrets?fieldSelector=metadata.name%3Dapp"
      + "&resourceVersion=0";
  private static final String RELIST_PATH = "/api/v1/namespaces/test/secrets?fieldSelector=metadata.name%3Dapp";
  private static final String WATCH_PATH = "/api/v1/namespaces/test/secrets?allowWatchBookmarks=true"
      + "&fieldSelector=metadata.name%3Dapp&resourceVersion=7&timeoutSeconds=600&watch=true";
  private static final String TOKEN = "kubeconfig-token-never-in-messages";
  private static final String VALUE = "the-value-never-in-messages";

  @TempDir
  Path temp;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private TestBackendContext context;
  private String previousKubeconfig;

  @BeforeEach
  void rememberKubeconfig() {
    previousKubeconfig = System.getProperty("kubeconfig");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
  }

  private K8sSecretBackend backend(KubernetesClient client, String secrets) {
    context = TestBackendContext.of(K8sSecretBackend.ID, Map.of(K8sBackendProvider.SECRET, secrets,
        K8sBackendProvider.NAMESPACE, SecretObjects.NAMESPACE));
    K8sSecretBackend backend = (K8sSecretBackend) K8sBackendProvider.withClient(client).create(context);
    toClose.add(backend);
    return backend;
  }

  /**
   * The backend as an application gets it: the client built from a kubeconfig (a user with a bearer
   * token) by the provider itself, with the provider's retry limit.
   */
  private K8sSecretBackend backendFromKubeconfig(KubernetesMockServer server) throws Exception {
    Path file = temp.resolve("config");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: %s
        contexts:
        - name: ctx
          context: { cluster: c, user: u, namespace: test }
        current-context: ctx
        users:
        - name: u
          user:
            token: %s
        """.formatted(apiAddress(server), TOKEN));
    System.setProperty("kubeconfig", file.toString());
    context = TestBackendContext.of(K8sSecretBackend.ID, Map.of(K8sBackendProvider.SECRET, "app"));
    K8sSecretBackend backend = (K8sSecretBackend) new K8sBackendProvider().create(context);
    toClose.add(backend);
    return backend;
  }

  private static String apiAddress(KubernetesMockServer server) {
    return "http://localhost:" + server.getPort();
  }

  private KubernetesMockServer expectationServer() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    toClose.add(server::destroy);
    return server;
  }

  private static io.fabric8.kubernetes.api.model.Secret secret() {
    return new SecretBuilder().withNewMetadata().withName("app").withNamespace(SecretObjects.NAMESPACE)
        .withResourceVersion("7").endMetadata().withData(Map.of("TOKEN", SecretObjects.b64(VALUE))).build();
  }

  private static Status status(int code, String reason, String message) {
    return new StatusBuilder().withStatus("Failure").withReason(reason).withCode(code).withMessage(message)
        .build();
  }

  private static Status forbidden(String verb) {
    return status(403, "Forbidden", "secrets \"app\" is forbidden: User \"system:serviceaccount:test:web\" "
        + "cannot " + verb + " resource \"secrets\" in API group \"\" in the namespace \"test\"");
  }

  private static void pollUntil(BooleanSupplier done, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not seen within " + within);
  }

  @Test
  void forbiddenGivesAnAuthenticationErrorNamingNamespaceSecretAndVerb() {
    KubernetesMockServer server = new KubernetesMockServer(false);
    server.init();
    toClose.add(server::destroy);
    server.expect().get().withPath("/api/v1/namespaces/test/secrets/app")
        .andReturn(403, new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
            .withMessage("secrets \"app\" is forbidden: User \"system:serviceaccount:test:web\" cannot get "
                + "resource \"secrets\" in API group \"\" in the namespace \"test\"").build())
        .always();
    KubernetesClient client = server.createClient();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");

    assertThatThrownBy(() -> backend.fetch("TOKEN", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("namespace 'test'").hasMessageContaining("Secret 'app'")
        .hasMessageContaining("'get' verb on secrets").hasMessageContaining("403")
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
    BackendHealth health = backend.health();
    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.detail()).contains("403");
  }

  @Test
  void unauthorizedGivesAnAuthenticationErrorSayingTheCredentialsAreRejected() throws Exception {
    KubernetesMockServer server = expectationServer();
    server.expect().get().withPath(SECRET_PATH).andReturn(401, status(401, "Unauthorized", "Unauthorized"))
        .always();
    K8sSecretBackend backend = backendFromKubeconfig(server);

    assertThatThrownBy(() -> backend.fetch("TOKEN", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("401 Unauthorized").hasMessageContaining("expired")
        .hasMessageContaining("namespace 'test'").hasMessageContaining("Secret 'app'")
        .hasMessageContaining(apiAddress(server))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    BackendHealth health = backend.health();
    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.detail()).contains("401").doesNotContain(TOKEN);
  }

  @Test
  void aRefusedWriteQuotingTheObjectSentNeverRepeatsTheNewValue() throws Exception {
    // an admission webhook refusing the update and quoting the object, new value included (base64 and plain)
    String newValue = "new-value-never-in-messages-7c1e";
    String quoted = "admission webhook denied: data.TOKEN=" + SecretObjects.b64(newValue) + " (" + newValue + ")";
    KubernetesMockServer server = expectationServer();
    server.expect().get().withPath(SECRET_PATH).andReturn(200, secret()).always();
    server.expect().put().withPath(SECRET_PATH).andReturn(422, status(422, "Invalid", quoted)).always();
    K8sSecretBackend backend = backendFromKubeconfig(server);

    Throwable thrown = catchThrowable(() -> backend.write("TOKEN", SecretValue.of(newValue),
        WriteOptions.defaults()));
    assertThat(thrown).isInstanceOf(BackendUnavailableException.class).hasMessageContaining("422")
        .hasMessageContaining("Secret 'app'").hasMessageContaining("update");
    StringBuilder chain = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      chain.append(t).append('\n');
    }
    assertThat(chain.toString()).doesNotContain(newValue).doesNotContain(SecretObjects.b64(newValue))
        .doesNotContain("admission webhook");
  }

  @Test
  void aServerErrorGivesAnUnavailableErrorNamingTheApiAfterTheBoundedRetries() throws Exception {
    KubernetesMockServer server = expectationServer();
    AtomicInteger gets = new AtomicInteger();
    server.expect().get().withPath(SECRET_PATH).andReply(503, request -> {
      gets.incrementAndGet();
      return status(503, "ServiceUnavailable", "etcdserver: request timed out");
    }).always();
    K8sSecretBackend backend = backendFromKubeconfig(server);

    assertThatThrownBy(() -> backend.fetch("TOKEN", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("Kubernetes API at " + apiAddress(server)).hasMessageContaining("answered 503")
        .hasMessageContaining("namespace 'test'").hasMessageContaining("Secret 'app'")
        .hasMessageContaining("etcdserver: request timed out");
    // one request and the provider's two retries, not fabric8's default of ten
    assertThat(gets).hasValue(3);
  }

  @Test
  void aForbiddenListStopsRotationEventsOnlyAndIsLoggedOnceNamingTheVerb() throws Exception {
    KubernetesMockServer server = expectationServer();
    server.expect().get().withPath(SECRET_PATH).andReturn(200, secret()).always();
    AtomicInteger lists = new AtomicInteger();
    server.expect().get().withPath(LIST_PATH).andReply(403, request -> {
      lists.incrementAndGet();
      return forbidden("list");
    }).always();
    KubernetesClient client = server.createClient();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");

    backend.watch(keys -> { });
    pollUntil(() -> backend.health().status() == BackendHealth.Status.DEGRADED, Duration.ofSeconds(10));
    pollUntil(() -> lists.get() >= 3, Duration.ofSeconds(30)); // fabric8 keeps retrying with backoff

    assertThat(backend.fetch("TOKEN", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(VALUE);
    BackendHealth health = backend.health();
    assertThat(health.status()).isEqualTo(BackendHealth.Status.DEGRADED);
    assertThat(health.detail()).contains("reads work", "rotation events stopped", "Secret 'app'",
        "namespace 'test'", "'list' verb on secrets", "403");
    assertThat(context.warnings()).singleElement().asString()
        .contains("Secret 'app'", "namespace 'test'", "'list' verb on secrets", "reads still work",
            "logged once")
        .doesNotContain("''", "CompletionException", VALUE);
  }

  @Test
  void aLostWatchIsReportedAsDegradedWithoutAskingTheApiServer() throws Exception {
    KubernetesMockServer server = expectationServer();
    AtomicInteger gets = new AtomicInteger();
    server.expect().get().withPath(SECRET_PATH).andReply(200, request -> {
      gets.incrementAndGet();
      return secret();
    }).always();
    server.expect().get().withPath(LIST_PATH).andReturn(403, forbidden("list")).always();
    KubernetesClient client = server.createClient();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");
    assertThat(backend.reportedState()).isEmpty();

    backend.watch(keys -> { });
    pollUntil(() -> backend.reportedState().isPresent(), Duration.ofSeconds(10));

    BackendHealth state = backend.reportedState().orElseThrow();
    assertThat(state.status()).isEqualTo(BackendHealth.Status.DEGRADED);
    assertThat(state.detail()).contains("reads work", "rotation events stopped", "'list' verb on secrets");
    assertThat(gets).as("reportedState() does no I/O").hasValue(0);
  }

  @Test
  void aForbiddenWatchIsReportedNamingTheWatchVerb() throws Exception {
    KubernetesMockServer server = expectationServer();
    io.fabric8.kubernetes.api.model.SecretList list = new SecretListBuilder().withNewMetadata()
        .withResourceVersion("7").endMetadata().withItems(secret()).build();
    server.expect().get().withPath(SECRET_PATH).andReturn(200, secret()).always();
    server.expect().get().withPath(LIST_PATH).andReturn(200, list).always();
    server.expect().get().withPath(RELIST_PATH).andReturn(200, list).always();
    AtomicInteger watches = new AtomicInteger();
    server.expect().get().withPath(WATCH_PATH).andReply(403, request -> {
      watches.incrementAndGet();
      return forbidden("watch");
    }).always();
    KubernetesClient client = server.createClient();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");

    backend.watch(keys -> { });
    pollUntil(() -> backend.health().status() == BackendHealth.Status.DEGRADED, Duration.ofSeconds(10));
    pollUntil(() -> watches.get() >= 3, Duration.ofSeconds(30));

    assertThat(backend.fetch("TOKEN", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(VALUE);
    assertThat(backend.health().detail()).contains("'watch' verb on secrets", "Secret 'app'", "namespace 'test'");
    assertThat(context.warnings()).singleElement().asString()
        .contains("Secret 'app'", "namespace 'test'", "'watch' verb on secrets")
        .doesNotContain(VALUE);
  }

  @Test
  void onceTheListIsAllowedTheWatchRecoversAndHealthIsUpAgain() throws Exception {
    KubernetesMockServer server = expectationServer();
    io.fabric8.kubernetes.api.model.SecretList list = new SecretListBuilder().withNewMetadata()
        .withResourceVersion("7").endMetadata().withItems(secret()).build();
    server.expect().get().withPath(SECRET_PATH).andReturn(200, secret()).always();
    // the Role is fixed after two refusals, without a restart
    server.expect().get().withPath(LIST_PATH).andReturn(403, forbidden("list")).times(2);
    server.expect().get().withPath(LIST_PATH).andReturn(200, list).always();
    server.expect().get().withPath(RELIST_PATH).andReturn(200, list).always();
    // a watch that stays open for 5 s, then closes and is re-established by the informer (the mock server
    // waits for the emit when it shuts down, so a longer wait only slows the test)
    server.expect().get().withPath(WATCH_PATH).andUpgradeToWebSocket().open().waitFor(5_000)
        .andEmit(new WatchEvent(secret(), "MODIFIED")).done().always();
    KubernetesClient client = server.createClient();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");

    backend.watch(keys -> { });
    pollUntil(() -> backend.health().status() == BackendHealth.Status.DEGRADED, Duration.ofSeconds(10));
    pollUntil(() -> backend.health().status() == BackendHealth.Status.UP, Duration.ofSeconds(30));

    assertThat(backend.health().detail()).endsWith(", watching");
    assertThat(context.warnings()).singleElement().asString().contains("'list' verb on secrets");
    assertThat(context.logLines()).contains("INFO Rotation events for Secret 'app' in namespace 'test' work again");
  }

  @Test
  void aWatchEndedByGoneListsAgainAndSeesWhatChangedMeanwhile() throws Exception {
    KubernetesMockServer server = expectationServer();
    io.fabric8.kubernetes.api.model.Secret rotated = new SecretBuilder(secret()).editMetadata()
        .withResourceVersion("9").endMetadata().withData(Map.of("TOKEN", SecretObjects.b64("rotated-" + VALUE)))
        .build();
    server.expect().get().withPath(LIST_PATH).andReturn(200, new SecretListBuilder().withNewMetadata()
        .withResourceVersion("7").endMetadata().withItems(secret()).build()).always();
    server.expect().get().withPath(RELIST_PATH).andReturn(200, new SecretListBuilder().withNewMetadata()
        .withResourceVersion("9").endMetadata().withItems(rotated).build()).always();
    // resourceVersion 7 was compacted away: the API server ends the watch with 410 Gone
    server.expect().get().withPath(WATCH_PATH).andUpgradeToWebSocket().open()
        .immediately().andEmit(new WatchEvent(status(410, "Expired", "too old resource version: 7 (8)"), "ERROR"))
        .done().always();
    KubernetesClient client = server.createClient();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");
    List<Set<String>> changes = new CopyOnWriteArrayList<>();

    backend.watch(changes::add);

    pollUntil(() -> changes.stream().filter(keys -> keys.contains("TOKEN")).count() >= 2, Duration.ofSeconds(10));
    assertThat(server.getRequestCount()).isGreaterThanOrEqualTo(3);
    // (the watch from resourceVersion 9 has no expectation here: its 404 is the only failure)
    assertThat(context.warnings()).as("410 Gone ends a watch; it is not a failure")
        .noneMatch(w -> w.contains("410") || w.contains("resource version"));
  }

  @Test
  void aWatchUpgradeThatIsNeverAnsweredFailsAtTheDeadlineAndIsRetried() throws Exception {
    try (MisbehavingHttpServer api = MisbehavingHttpServer.http()) {
      String list = "{\"apiVersion\":\"v1\",\"kind\":\"SecretList\",\"metadata\":{\"resourceVersion\":\"7\"},"
          + "\"items\":[]}";
      api.on(line -> line.contains("watch=true"), new MisbehavingHttpServer.Silent())
          .on(line -> line.startsWith("GET /api/v1/namespaces/test/secrets?"), new MisbehavingHttpServer.Answer(200,
              "application/json", list));
      KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
          .withMasterUrl(api.address()).withNamespace(SecretObjects.NAMESPACE).withWatchReconnectInterval(100)
          .build()).build();
      toClose.add(client);
      K8sSecretBackend backend = (K8sSecretBackend) K8sBackendProvider.withClient(client).create(
          TestBackendContext.of(K8sSecretBackend.ID, Map.of(K8sBackendProvider.SECRET, "app",
              K8sBackendProvider.TIMEOUT, "1s")));
      toClose.add(backend);

      backend.watch(keys -> { });

      pollUntil(() -> backend.reportedState().isPresent(), Duration.ofSeconds(5));
      assertThat(backend.reportedState().orElseThrow().detail()).contains("rotation events stopped",
          "did not answer within 1000 ms", "SECRETS_K8S_TIMEOUT", "Secret 'app'");
      pollUntil(() -> api.requestLines().stream().filter(l -> l.contains("watch=true")).count() >= 2,
          Duration.ofSeconds(10));
    }
  }

  @Test
  void anUnreachableApiServerGivesAnUnavailableError() {
    String url = "http://127.0.0.1:" + TestTools.freePort();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
        .withMasterUrl(url).withNamespace(SecretObjects.NAMESPACE).withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(2_000).build()).build();
    toClose.add(client);
    K8sSecretBackend backend = backend(client, "app");

    assertThatThrownBy(() -> backend.fetch("TOKEN", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("unreachable").hasMessageContaining("127.0.0.1")
        .hasMessageContaining("Secret 'app'");
    assertThat(backend.health().status()).isEqualTo(BackendHealth.Status.DOWN);
  }

  @Test
  void theWatchReEstablishesItselfAfterTheServerComesBack() throws Exception {
    // one CRUD store shared by two server lifetimes on the same port: a restart of the API server
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses);
    KubernetesMockServer first = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        dispatcher, false);
    first.init();
    int port = first.getPort();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
        first.createClient().getConfiguration()).withWatchReconnectInterval(100).withWatchReconnectLimit(-1)
        .build()).build();
    toClose.add(client);
    SecretObjects.put(client, "app", "TOKEN", "one");
    K8sSecretBackend backend = backend(client, "app");
    List<Set<String>> changes = new CopyOnWriteArrayList<>();
    backend.watch(changes::add);
    pollUntil(backend::watching, Duration.ofSeconds(10));

    first.shutdown();
    pollUntil(() -> !backend.watching(), Duration.ofSeconds(10));
    KubernetesMockServer second = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        dispatcher, false);
    second.init(java.net.InetAddress.getLoopbackAddress(), port);
    toClose.add(second::destroy);
    pollUntil(backend::watching, Duration.ofSeconds(30));
    changes.clear();

    SecretObjects.put(client, "app", "TOKEN", "two");

    pollUntil(() -> changes.stream().anyMatch(keys -> keys.contains("TOKEN")), Duration.ofSeconds(10));
    assertThat(backend.fetch("TOKEN", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("two");
    assertThat(backend.health().detail()).contains("watching");
  }
}
