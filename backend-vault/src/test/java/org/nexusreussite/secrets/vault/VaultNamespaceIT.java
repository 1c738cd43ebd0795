package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/**
 * {@code VAULT_NAMESPACE} against real OpenBao namespaces (OpenBao has them since 2.3, in the open-source
 * server). Setup goes through the path form ({@code /v1/<namespace>/sys/...}), the backend through the
 * {@code X-Vault-Namespace} header, so each checks the other.
 */
class VaultNamespaceIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();

  @TempDir
  Path home;

  private final String ns = "team-" + UUID.randomUUID().toString().substring(0, 8);
  private final String rel = "ns-" + UUID.randomUUID();
  private VaultSecretBackend backend;

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private VaultSecretBackend backend(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("VAULT_ADDR", BAO.address());
    settings.put("VAULT_TOKEN", BAO.rootToken());
    settings.put("VAULT_PATH", "secret/" + rel);
    settings.put("SECRETS_VAULT_RETRIES", "0");
    settings.putAll(extra);
    settings.values().removeIf(String::isEmpty);
    TestBackendContext ctx = TestBackendContext.of(VaultBackendProvider.ID, settings)
        .withScheduler(new ManualScheduler(new ManualClock())).withClock(Clock.systemUTC());
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> home).create(ctx);
    return backend;
  }

  /** Creates namespace {@code path} (nested with '/') with KV v2 mounted at {@code secret/} in it. */
  private static void namespaceWithKv(String path) {
    int slash = path.lastIndexOf('/');
    String parent = slash < 0 ? "" : path.substring(0, slash + 1);
    BAO.api("POST", "/v1/" + parent + "sys/namespaces/" + path.substring(slash + 1), "{}");
    BAO.api("POST", "/v1/" + path + "/sys/mounts/secret", "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
  }

  private void put(String namespace, String fields) {
    BAO.api("POST", "/v1/" + namespace + "/secret/data/" + rel, "{\"data\":" + fields + "}");
  }

  @Test
  void readsVersionsAndRollsBackInTheNamespaceNamedByVaultNamespace() {
    namespaceWithKv(ns);
    put(ns, "{\"K\":\"first\",\"OTHER\":\"o\"}");
    put(ns, "{\"K\":\"second\",\"OTHER\":\"o\"}");
    VaultSecretBackend b = backend(Map.of("VAULT_NAMESPACE", ns));

    assertThat(b.fetchAll(List.of("K", "OTHER"))).containsOnlyKeys("K", "OTHER");
    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("second");
    assertThat(b.versions("K")).extracting(SecretVersion::id).containsExactly("2", "1");
    assertThat(b.fetch("K", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("first");

    assertThat(b.rollback("K", SecretVersion.of("1")).id()).isEqualTo("3");

    JsonObject current = Json.parse(BAO.api("GET", "/v1/" + ns + "/secret/data/" + rel, null)).asObject()
        .get("data").asObject();
    assertThat(current.get("data").asObject().getString("K", null)).as("written in the namespace")
        .isEqualTo("first");
    assertThat(BAO.apiResponse("GET", "/v1/secret/data/" + rel, null).statusCode())
        .as("nothing written outside it").isEqualTo(404);
  }

  @Test
  void withoutVaultNamespaceTheKeyIsNotFound() {
    namespaceWithKv(ns);
    put(ns, "{\"K\":\"in-namespace\"}");

    VaultSecretBackend b = backend(Map.of());

    assertThat(b.fetch("K", VersionSelector.latest())).isEmpty();
  }

  @Test
  void nestedNamespaceIsNamedWithItsFullPath() {
    namespaceWithKv(ns);
    namespaceWithKv(ns + "/child");
    put(ns, "{\"K\":\"parent\"}");
    put(ns + "/child", "{\"K\":\"child\"}");

    assertThat(backend(Map.of("VAULT_NAMESPACE", ns + "/child")).fetch("K", VersionSelector.latest())
        .orElseThrow().reveal()).isEqualTo("child");
  }

  @Test
  void tokenIssuedInsideTheNamespaceReadsThroughIt() {
    namespaceWithKv(ns);
    put(ns, "{\"K\":\"scoped\"}");
    BAO.api("POST", "/v1/" + ns + "/sys/policies/acl/reader",
        new JsonObject().add("policy", "path \"secret/*\" { capabilities = [\"read\", \"list\"] }").toString());
    String token = Json.parse(BAO.api("POST", "/v1/" + ns + "/auth/token/create",
        "{\"policies\":[\"reader\"],\"ttl\":\"1h\"}")).asObject().get("auth").asObject()
        .getString("client_token", null);

    VaultSecretBackend b = backend(Map.of("VAULT_NAMESPACE", ns, "VAULT_TOKEN", token));

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("scoped");
  }

  @Test
  void unknownNamespaceFailsInsteadOfReadingAsEmpty() {
    String missing = "no-such-" + ns;
    VaultSecretBackend b = backend(Map.of("VAULT_NAMESPACE", missing));

    // OpenBao answers 404 "namespace not found" to everything, the token lookup included
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(org.nexusreussite.secrets.BackendConfigurationException.class)
        .hasMessageContaining("has no namespace '" + missing + "' (VAULT_NAMESPACE)")
        .hasMessageNotContaining(BAO.rootToken());
  }
}
