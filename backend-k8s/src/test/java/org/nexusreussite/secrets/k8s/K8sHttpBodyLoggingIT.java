package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import org.slf4j.LoggerFactory;

/**
 * Issue 12, finding 5: with fabric8's HTTP logger at TRACE (through {@link CapturingSlf4j}, this module's
 * test SLF4J backend), a client built the default way logs whole Secret bodies, and the backend's own
 * client, built through the real provider path, logs none: neither the canary value nor its base64
 * appears, for get, fetchAll, keys, health and a watch event.
 */
@EnableKubernetesMockClient(crud = true)
class K8sHttpBodyLoggingIT {
  static KubernetesClient client;

  /** The tests share the extension's client through {@code withClient}: they own it, so they close it. */
  @AfterAll
  static void closeTheSharedClient() {
    client.close();
  }
  static KubernetesMockServer server;

  private static final List<String> AUTO_CONFIG = List.of("kubernetes.master", "kubernetes.trust.certificates",
      "kubernetes.auth.tryKubeConfig", "kubernetes.auth.tryServiceAccount", "kubernetes.namespace");

  private final String canary = "canary-f8-trace-" + UUID.randomUUID();
  private final String rotated = "canary-f8-rotated-" + UUID.randomUUID();
  private final String secret = "app-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> savedProperties = new HashMap<>();
  private SecretBackend backend;

  @BeforeEach
  void pointAutoConfigurationAtTheMockServer() {
    CapturingSlf4j.trace(K8sClients.HTTP_LOGGER);
    for (String name : AUTO_CONFIG) {
      savedProperties.put(name, System.getProperty(name));
    }
    System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
    System.setProperty("kubernetes.trust.certificates", "true");
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    System.setProperty("kubernetes.namespace", SecretObjects.NAMESPACE);
  }

  @AfterEach
  void restore() {
    CapturingSlf4j.reset();
    if (backend != null) {
      backend.close();
    }
    savedProperties.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  /** What the traced loggers write meanwhile, from any thread. */
  private static String loggedDuring(ThrowingRunnable action) throws Exception {
    CapturingSlf4j.drain();
    action.run();
    Thread.sleep(200); // lines written by the client's event loop just after the answer
    return CapturingSlf4j.drain();
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void theBackendsClientLogsNoSecretBodyWithFabric8HttpLoggingAtTrace() throws Exception {
    assertThat(LoggerFactory.getLogger(K8sClients.HTTP_LOGGER).isTraceEnabled())
        .as("the test SLF4J backend must be the one in use").isTrue();

    // control: fabric8's default client really does log bodies in this setup, so the check below means something
    try (KubernetesClient plain = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build()) {
      String control = loggedDuring(() -> {
        SecretObjects.put(plain, secret, "API_KEY", canary);
        plain.secrets().inNamespace(SecretObjects.NAMESPACE).withName(secret).get();
      });
      assertThat(control).contains(SecretObjects.b64(canary));
    }

    // writes during the check go through a client without the interceptor, so only the backend could log
    KubernetesClient writer = new KubernetesClientBuilder().withConfig(client.getConfiguration())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(K8sApi.HTTP_LOGGING_INTERCEPTOR, null)).build();
    CopyOnWriteArrayList<Object> events = new CopyOnWriteArrayList<>();
    String ours = loggedDuring(() -> {
      backend = new K8sBackendProvider().create(TestBackendContext.of(K8sSecretBackend.ID,
          Map.of(K8sBackendProvider.SECRET, secret, K8sBackendProvider.NAMESPACE, SecretObjects.NAMESPACE)));
      assertThat(backend.fetch("API_KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(canary);
      assertThat(backend.fetchAll(List.of("API_KEY"))).containsKey("API_KEY");
      assertThat(backend.keys()).contains("API_KEY");
      backend.health();
      backend.watch(events::add);
      K8sSecretBackend k8s = (K8sSecretBackend) backend;
      awaitTrue(k8s::watching);
      SecretObjects.put(writer, secret, "API_KEY", rotated);
      awaitTrue(() -> !events.isEmpty());
    });
    writer.close();

    assertThat(events).isNotEmpty();
    assertThat(ours).doesNotContain(canary, SecretObjects.b64(canary), rotated, SecretObjects.b64(rotated));
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
