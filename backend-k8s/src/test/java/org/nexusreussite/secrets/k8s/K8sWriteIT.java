package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/** Writes to Secret objects with resourceVersion against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class K8sWriteIT {
  private static final String CANARY = "canary-k8s-write-0c44";
  static KubernetesClient client;

  /** The tests share the extension's client through {@code withClient}: they own it, so they close it. */
  @AfterAll
  static void closeTheSharedClient() {
    client.close();
  }
  static KubernetesMockServer server;

  private final String app = "app-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<SecretBackend> backends = new ArrayList<>();

  @AfterEach
  void close() {
    backends.forEach(SecretBackend::close);
  }

  private SecretBackend backend(String secrets) {
    SecretBackend b = K8sBackendProvider.withClient(client).create(TestBackendContext.of(K8sSecretBackend.ID,
        Map.of(K8sBackendProvider.SECRET, secrets, "SECRETS_K8S_NAMESPACE", SecretObjects.NAMESPACE)));
    backends.add(b);
    return b;
  }

  private Secret object(String name) {
    return client.secrets().inNamespace(SecretObjects.NAMESPACE).withName(name).get();
  }

  private static String decoded(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void aWriteSetsTheMappedDataKeyAndKeepsTheOthers() {
    SecretObjects.put(client, app, "database-url", "postgres://old");
    SecretObjects.put(client, app, "api-key", "api");
    SecretBackend b = backend(app);

    SecretVersion v = b.write("DATABASE_URL", SecretValue.of(CANARY), WriteOptions.defaults());

    Secret now = object(app);
    assertThat(decoded(now, "database-url")).isEqualTo(CANARY);
    assertThat(decoded(now, "api-key")).isEqualTo("api");
    assertThat(now.getData()).containsOnlyKeys("database-url", "api-key");
    assertThat(v.id()).isEqualTo(now.getMetadata().getResourceVersion());
    assertThat(b.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().version().id()).isEqualTo(v.id());
  }

  @Test
  void aWriteRecordsWhenSoThatARotationPolicyCanTellTheKeysAge() throws Exception {
    SecretObjects.put(client, app, "database-url", "postgres://old");
    SecretObjects.put(client, app, "api-key", "api");
    SecretBackend b = backend(app);
    b.write("DATABASE_URL", SecretValue.of(CANARY), WriteOptions.defaults());
    String recorded = object(app).getMetadata().getAnnotations().get(K8sSecretBackend.WRITTEN_AT + "database-url");
    assertThat(recorded).as("the write's time, by the backend's clock").isNotNull();
    java.time.Instant written = java.time.Instant.parse(recorded);
    assertThat(b.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().version().createdAt())
        .contains(written);

    // another operator's write 40 days ago, as recorded: the policy finds API_KEY due and DATABASE_URL not
    Secret old = object(app);
    old.getMetadata().getAnnotations().put(K8sSecretBackend.WRITTEN_AT + "api-key",
        written.minus(java.time.Duration.ofDays(40)).toString());
    client.secrets().inNamespace(SecretObjects.NAMESPACE).resource(old).update();
    org.nexusreussite.secrets.RotationPolicy policy = org.nexusreussite.secrets.RotationPolicy.parse("test",
        new java.io.StringReader("DATABASE_URL.generator=hex:32\nDATABASE_URL.max-age=30d\n"
            + "API_KEY.generator=hex:32\nAPI_KEY.max-age=30d\n"));
    SecretBackend owned = backend(app);
    backends.remove(owned); // the resolver closes it
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(new WithoutWatch(owned), 300).build()) {
      assertThat(policy.due(r, written.plus(java.time.Duration.ofDays(1)))).extracting(org.nexusreussite.secrets.RotationPolicy.Rule::key)
          .containsExactly("API_KEY");
    }
  }

  @Test
  void theApiServerRefusesAnUpdateCarryingAStaleResourceVersion() {
    SecretObjects.put(client, app, "K", "v1");
    Secret stale = object(app);
    SecretObjects.put(client, app, "K", "v2");
    stale.setData(Map.of("K", SecretObjects.b64("v3")));
    assertThatThrownBy(() -> client.secrets().inNamespace(SecretObjects.NAMESPACE).resource(stale).update())
        .hasMessageContaining("409");
  }

  @Test
  void ofTwoRacingWritersExactlyOneWins() throws Exception {
    SecretObjects.put(client, app, "K", "v1");
    SecretObjects.put(client, app, "OTHER", "kept");
    SecretBackend a = backend(app);
    SecretBackend c = backend(app);
    String first = a.fetch("K", VersionSelector.latest()).orElseThrow().version().id();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (SecretBackend b : List.of(a, c)) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            b.write("K", SecretValue.of(CANARY + b.hashCode()), WriteOptions.builder().expectedVersion(first).build());
            return "won";
          } catch (WriteConflictException e) {
            assertThat(e.getMessage()).doesNotContain(CANARY);
            SecurityGuide.assertDocumented(e.getMessage());
            return "conflict";
          }
        }));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : results) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(outcomes).containsExactlyInAnyOrder("won", "conflict");
      assertThat(decoded(object(app), "OTHER")).isEqualTo("kept");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKeyIsAddedOnlyWhenAsked() {
    SecretObjects.put(client, app, "OTHER", "o");
    SecretBackend b = backend(app);
    assertThatThrownBy(() -> b.write("NEW", SecretValue.of(CANARY), WriteOptions.defaults()))
        .isInstanceOf(SecretNotFoundException.class);
    b.write("NEW", SecretValue.of(CANARY), WriteOptions.builder().createIfMissing(true).build());
    assertThat(decoded(object(app), "NEW")).isEqualTo(CANARY);
    assertThat(decoded(object(app), "OTHER")).isEqualTo("o");
  }

  @Test
  void throughTheResolverTheNewValueIsServedAtOnce() {
    SecretObjects.put(client, app, "K", "v1");
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(new WithoutWatch(backend(app)), K8sBackendProvider.ORDINAL).build()) {
      assertThat(r.resolve("K")).isEqualTo("v1");
      r.admin().write("K", SecretValue.of(CANARY), WriteOptions.defaults());
      assertThat(r.resolve("K")).isEqualTo(CANARY);
      backends.clear(); // closed by the resolver
    }
  }
}
