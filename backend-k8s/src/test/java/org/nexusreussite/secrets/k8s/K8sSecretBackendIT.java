package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * Secret objects against fabric8's mock API server in CRUD mode: decoding, precedence, one GET per
 * Secret, and watch-driven rotation, deletion and appearance through a resolver.
 */
@EnableKubernetesMockClient(crud = true)
class K8sSecretBackendIT {
  static KubernetesClient client;

  /** The tests share the extension's client through {@code withClient}: they own it, so they close it. */
  @AfterAll
  static void closeTheSharedClient() {
    client.close();
  }
  static KubernetesMockServer server;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
  private final String shared = "shared-" + UUID.randomUUID().toString().substring(0, 8);
  private SecretResolver resolver;
  private SecretBackend backend;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private SecretBackend backend(String secrets) {
    backend = K8sBackendProvider.withClient(client).create(TestBackendContext.of(K8sSecretBackend.ID,
        Map.of(K8sBackendProvider.SECRET, secrets)));
    return backend;
  }

  private SecretResolver resolver(String secrets) throws InterruptedException {
    K8sSecretBackend watched = (K8sSecretBackend) backend(secrets);
    resolver = SecretResolver.builder()
        .config(SecretsConfig.empty())
        .backend(watched, K8sBackendProvider.ORDINAL)
        .clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofHours(1)).maxStale(Duration.ofHours(2))
        .build();
    // the resolver subscribed while building; changes made before the watch is up would only be seen
    // at the next scheduled refresh, so the tests start changing things once it is
    pollUntil(watched::watching);
    return resolver;
  }

  private void pollUntil(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      scheduler.runDue();
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not seen within 10 s");
  }

  @Test
  void dataIsBase64DecodedAndStringDataWinsOverData() {
    client.secrets().inNamespace(SecretObjects.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
        .withName(app).endMetadata()
        .withData(Map.of("database-url", SecretObjects.b64("postgres://db\n"), "api-key", SecretObjects.b64("old")))
        .withStringData(Map.of("api-key", "from-string-data"))
        .build()).create();
    SecretBackend backend = backend(app);

    Secret url = backend.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow();
    assertThat(url.reveal()).isEqualTo("postgres://db");
    assertThat(url.version().id()).isEqualTo(
        client.secrets().inNamespace(SecretObjects.NAMESPACE).withName(app).get().getMetadata().getResourceVersion());
    assertThat(backend.fetch("api-key", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("from-string-data");
    assertThat(backend.keys()).contains("database-url", "api-key");
  }

  @Test
  void theFirstNamedSecretWinsAndFetchAllMakesOneGetPerSecret() {
    SecretObjects.put(client, app, "TOKEN", "from-app");
    SecretObjects.put(client, shared, "TOKEN", "from-shared");
    SecretObjects.put(client, shared, "REGION", "eu");
    SecretBackend backend = backend(app + "," + shared);

    assertThat(backend.fetch("TOKEN", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("from-app");
    int before = server.getRequestCount();
    Map<String, Secret> found = backend.fetchAll(List.of("TOKEN", "REGION", "ABSENT"));
    assertThat(server.getRequestCount() - before).isEqualTo(2);
    assertThat(found).containsOnlyKeys("TOKEN", "REGION");
    assertThat(found.get("REGION").reveal()).isEqualTo("eu");
  }

  @Test
  void aMissingSecretIsNotAnError() {
    assertThat(backend("does-not-exist").fetch("ANY", VersionSelector.latest())).isEmpty();
  }

  @Test
  void ambiguousDataKeysAreAnErrorNamingBoth() {
    client.secrets().inNamespace(SecretObjects.NAMESPACE).resource(new SecretBuilder().withNewMetadata()
        .withName(app).endMetadata()
        .withData(Map.of("db-url", SecretObjects.b64("a"), "db_url", SecretObjects.b64("b"))).build()).create();
    assertThatThrownBy(() -> backend(app).fetch("DB_URL", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("db-url").hasMessageContaining("db_url").hasMessageContaining(app);
  }

  @Test
  void olderVersionsAreUnsupportedWithAHint() {
    SecretObjects.put(client, app, "K", "v");
    SecretBackend backend = backend(app);
    assertThatThrownBy(() -> backend.fetch("K", VersionSelector.previous()))
        .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("only its current value");
    assertThatThrownBy(() -> backend.versions("K")).isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void anUpdateFiresTheRotationListenerOnce() throws Exception {
    SecretObjects.put(client, app, "database-url", "postgres://a");
    SecretObjects.put(client, app, "other", "unchanged");
    SecretResolver resolver = resolver(app);
    assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://a");
    resolver.resolve("OTHER");
    List<SecretRotation> rotations = new CopyOnWriteArrayList<>();
    resolver.onRotation(rotations::add);

    SecretObjects.put(client, app, "database-url", "postgres://b");

    pollUntil(() -> !rotations.isEmpty());
    assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://b");
    assertThat(rotations).hasSize(1);
    assertThat(rotations.get(0).key()).isEqualTo("DATABASE_URL");
    resolver.admin().refresh(); // OTHER is read again under a new resourceVersion, but its value did not change
    scheduler.runDue();
    assertThat(rotations).hasSize(1);
  }

  @Test
  void aDeletedSecretIsNotFoundAnyMore() throws Exception {
    SecretObjects.put(client, app, "K", "v");
    SecretResolver resolver = resolver(app);
    assertThat(resolver.find("K")).contains("v");

    client.secrets().inNamespace(SecretObjects.NAMESPACE).withName(app).delete();

    pollUntil(() -> resolver.find("K").isEmpty());
    assertThat(backend.fetch("K", VersionSelector.latest())).isEmpty();
  }

  @Test
  void aSecretCreatedLaterIsFoundAfterBeingMissing() throws Exception {
    SecretResolver resolver = resolver(app);
    assertThat(resolver.find("LATE")).isEmpty();

    SecretObjects.put(client, app, "late", "arrived");

    pollUntil(() -> resolver.find("LATE").isPresent());
    assertThat(resolver.resolve("LATE")).isEqualTo("arrived");
  }
}
