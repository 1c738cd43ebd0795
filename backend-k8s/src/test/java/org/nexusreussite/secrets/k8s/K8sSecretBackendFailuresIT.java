package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.StatusBuilder;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.server.TestTools;

/**
 * The API mode when things go wrong: a 403 answer (mock server in expectation mode), an unreachable API
 * server, and a watch that loses its server and re-establishes itself once the server is back.
 */
class K8sSecretBackendFailuresIT {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private K8sSecretBackend backend(KubernetesClient client, String secrets) {
    K8sSecretBackend backend = (K8sSecretBackend) K8sBackendProvider.withClient(client).create(TestBackendContext.of(
        K8sSecretBackend.ID, Map.of(K8sBackendProvider.SECRET, secrets, K8sBackendProvider.NAMESPACE,
            SecretObjects.NAMESPACE)));
    toClose.add(backend);
    return backend;
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
        .hasMessageContaining("'get' verb on secrets").hasMessageContaining("403");
    BackendHealth health = backend.health();
    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.detail()).contains("403");
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
