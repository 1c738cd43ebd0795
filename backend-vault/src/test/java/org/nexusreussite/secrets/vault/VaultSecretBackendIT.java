package org.nexusreussite.secrets.vault;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.buildsupport.server.TestTools;

/** The Vault backend against a real OpenBao dev server. */
class VaultSecretBackendIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();

  @TempDir
  Path home;

  private final String rel = "it-" + UUID.randomUUID();
  private VaultSecretBackend backend;
  private RecordingProxy proxy;

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private VaultSecretBackend backend(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("VAULT_ADDR", BAO.address());
    settings.put("VAULT_TOKEN", BAO.rootToken());
    settings.put("VAULT_PATH", "secret/" + rel);
    settings.put("SECRETS_VAULT_RETRIES", "0");
    settings.putAll(extra);
    settings.values().removeIf(v -> v == null || v.isEmpty());
    ManualClock clock = new ManualClock();
    TestBackendContext ctx = TestBackendContext.of(VaultBackendProvider.ID, settings).withScheduler(new ManualScheduler(clock)).withClock(Clock.systemUTC());
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> home).create(ctx);
    return backend;
  }

  private RecordingProxy proxy() throws Exception {
    proxy = new RecordingProxy(BAO.address());
    return proxy;
  }

  @Test
  void severalFieldsOfOnePathCostOneReadRequest() throws Exception {
    Bao.putV2(BAO, rel, Map.of("DATABASE_URL", "postgres://db", "JWT_SECRET_KEY", "jwt", "API_KEY", "api"));
    RecordingProxy p = proxy();
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", p.address()));
    b.fetchAll(List.of("DATABASE_URL")); // first use: token lookup and mount detection
    p.clear();

    Map<String, Secret> found = b.fetchAll(List.of("DATABASE_URL", "JWT_SECRET_KEY", "API_KEY", "ABSENT"));

    assertThat(found).containsOnlyKeys("DATABASE_URL", "JWT_SECRET_KEY", "API_KEY");
    assertThat(found.get("JWT_SECRET_KEY").reveal()).isEqualTo("jwt");
    assertThat(p.requests()).containsExactly("GET /v1/secret/data/" + rel);
  }

  @Test
  void earlierPathWinsAndLaterPathsFillTheGaps() {
    String other = rel + "-shared";
    Bao.putV2(BAO, rel, Map.of("A", "from-first"));
    Bao.putV2(BAO, other, Map.of("A", "from-second", "B", "only-second"));
    VaultSecretBackend b = backend(Map.of("SECRETS_VAULT_PATHS", "secret/" + rel + ",secret/" + other));

    Map<String, Secret> found = b.fetchAll(List.of("A", "B"));

    assertThat(found.get("A").reveal()).isEqualTo("from-first");
    assertThat(found.get("B").reveal()).isEqualTo("only-second");
    assertThat(b.describe()).isEqualTo("vault[secret/" + rel + ",secret/" + other + "]");
  }

  @Test
  void wrongPathIsNotFound() {
    VaultSecretBackend b = backend(Map.of("VAULT_PATH", "secret/does-not-exist-" + UUID.randomUUID()));

    assertThat(b.fetch("DATABASE_URL", VersionSelector.latest())).isEmpty();
    assertThat(b.versions("DATABASE_URL")).isEmpty();
  }

  @Test
  void versionsAreNewestFirstWithCreatedTimeAndDeletedOrDestroyedMarked() {
    Bao.putV2(BAO, rel, Map.of("K", "v1"));
    Bao.putV2(BAO, rel, Map.of("K", "v2"));
    Bao.putV2(BAO, rel, Map.of("K", "v3"));
    Bao.putV2(BAO, rel, Map.of("K", "v4"));
    BAO.api("POST", "/v1/secret/delete/" + rel, "{\"versions\":[2]}");
    BAO.api("PUT", "/v1/secret/destroy/" + rel, "{\"versions\":[1]}");
    VaultSecretBackend b = backend(Map.of());

    List<SecretVersion> versions = b.versions("K");

    assertThat(versions).extracting(SecretVersion::id).containsExactly("4", "3", "2", "1");
    assertThat(versions).extracting(SecretVersion::state).containsExactly(SecretVersion.State.ENABLED,
        SecretVersion.State.ENABLED, SecretVersion.State.DELETED, SecretVersion.State.DESTROYED);
    assertThat(versions.get(0).current()).isTrue();
    assertThat(versions).allSatisfy(v -> assertThat(v.createdAt()).isPresent());
    assertThat(b.fetch("K", VersionSelector.id("3")).orElseThrow().reveal()).isEqualTo("v3");
    assertThat(b.fetch("K", VersionSelector.id("3")).orElseThrow().version().current()).isFalse();
    assertThat(b.fetch("K", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("v3");
    assertThat(b.fetch("K", VersionSelector.id("2"))).as("deleted: not served").isEmpty();
    assertThat(b.fetch("K", VersionSelector.id("1"))).as("destroyed: not served").isEmpty();
    assertThat(b.fetch("K", VersionSelector.stage("AWSCURRENT"))).isEmpty();
  }

  @Test
  void previousSkipsDeletedVersions() {
    Bao.putV2(BAO, rel, Map.of("K", "v1"));
    Bao.putV2(BAO, rel, Map.of("K", "v2"));
    Bao.putV2(BAO, rel, Map.of("K", "v3"));
    BAO.api("POST", "/v1/secret/delete/" + rel, "{\"versions\":[2]}");
    VaultSecretBackend b = backend(Map.of());

    assertThat(b.fetch("K", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("v1");
  }

  @Test
  void rollbackWritesTheOldDataAsANewVersion() {
    Bao.putV2(BAO, rel, Map.of("K", "good", "OTHER", "o1"));
    Bao.putV2(BAO, rel, Map.of("K", "bad", "OTHER", "o2"));
    VaultSecretBackend b = backend(Map.of());

    SecretVersion now = b.rollback("K", SecretVersion.of("1"));

    assertThat(now.id()).isEqualTo("3");
    assertThat(now.current()).isTrue();
    Secret current = b.fetch("K", VersionSelector.latest()).orElseThrow();
    assertThat(current.reveal()).isEqualTo("good");
    assertThat(current.version().id()).isEqualTo("3");
    assertThat(b.fetch("OTHER", VersionSelector.latest()).orElseThrow().reveal())
        .as("Vault versions the path: every field comes back").isEqualTo("o1");
  }

  @Test
  void rollbackRacingAnotherWriterFailsWithCheckAndSetAndOverwritesNothing() throws Exception {
    Bao.putV2(BAO, rel, Map.of("K", "good"));
    Bao.putV2(BAO, rel, Map.of("K", "bad"));
    RecordingProxy p = proxy();
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", p.address()));
    // another writer gets in between our read of the current version and our check-and-set write
    p.beforeOnce(line -> line.equals("POST /v1/secret/data/" + rel),
        () -> Bao.putV2(BAO, rel, Map.of("K", "concurrent")));

    assertThatThrownBy(() -> b.rollback("K", SecretVersion.of("1")))
        .isInstanceOf(VaultRollbackConflictException.class)
        .hasMessageContaining("someone else wrote version 3 after version 2 was read")
        .hasMessageContaining("retry");
    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("concurrent");
  }

  @Test
  void policyWithoutReadGivesThePermissionDeniedMessage() {
    Bao.putV2(BAO, rel, Map.of("K", "v"));
    Bao.policy(BAO, "list-only", "path \"secret/metadata/*\" { capabilities = [\"list\"] }");
    String token = Bao.token(BAO, "\"ttl\":\"1h\"", "list-only");
    VaultSecretBackend b = backend(Map.of("VAULT_TOKEN", token));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessage("Failed to authenticate with Vault: permission denied on secret/" + rel
            + " (API path secret/data/" + rel + "); check VAULT_TOKEN validity and that the token's policies "
            + "grant 'read' on secret/data/" + rel)
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
  }

  @Test
  void revokedTokenIsAnAuthenticationError() {
    Bao.putV2(BAO, rel, Map.of("K", "v"));
    Bao.policy(BAO, "reader", "path \"secret/*\" { capabilities = [\"read\", \"list\"] }");
    String token = Bao.token(BAO, "\"ttl\":\"1h\"", "reader");
    VaultSecretBackend b = backend(Map.of("VAULT_TOKEN", token));
    assertThat(b.fetch("K", VersionSelector.latest())).isPresent();

    BAO.api("POST", "/v1/auth/token/revoke", "{\"token\":\"" + token + "\"}");

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("permission denied on secret/" + rel)
        .hasMessageNotContaining(token);
  }

  @Test
  void tokenIsReadFromTheHomeFolderWhenVaultTokenIsUnset() throws Exception {
    Bao.putV2(BAO, rel, Map.of("K", "from-home-token"));
    Files.writeString(home.resolve(".vault-token"), BAO.rootToken() + "\n");
    Map<String, String> settings = new HashMap<>();
    settings.put("VAULT_TOKEN", "");
    VaultSecretBackend b = backend(settings);

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("from-home-token");
  }

  @Test
  void unreachableVaultNamesTheAddress() {
    int port = TestTools.freePort();
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", "http://127.0.0.1:" + port, "SECRETS_VAULT_RETRIES", "1",
        "SECRETS_VAULT_RETRY_BACKOFF", "10ms"));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("Verify network connectivity to Vault at http://127.0.0.1:" + port)
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
    assertThat(b.health().status()).isEqualTo(BackendHealth.Status.DOWN);
  }

  @Test
  void healthIsUpForAnUnsealedServer() {
    assertThat(backend(Map.of()).health().status()).isEqualTo(BackendHealth.Status.UP);
  }

  @Test
  void listingGivesTheFieldNames() {
    Bao.putV2(BAO, rel, Map.of("A", "1", "B", "2"));
    assertThat(backend(Map.of()).keys()).containsExactlyInAnyOrder("A", "B");
  }

  @Test
  void nonStringFieldsAreServedAsJson() {
    BAO.api("POST", "/v1/secret/data/" + rel, "{\"data\":{\"PORT\":5432,\"CONF\":{\"a\":true}}}");
    VaultSecretBackend b = backend(Map.of());

    assertThat(b.fetch("PORT", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("5432");
    assertThat(b.fetch("CONF", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("{\"a\":true}");
  }

  @Test
  void nonAsciiValuesSurviveTheRoundTrip() {
    Bao.putV2(BAO, rel, Map.of("K", "mot de passe \u00e9t\u00e9 \u2603"));
    assertThat(backend(Map.of()).fetch("K", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("mot de passe \u00e9t\u00e9 \u2603");
  }

  @Test
  void kvVersionOverrideOnAV1MountReadsWithoutDetection() throws Exception {
    Bao.mount(BAO, "kv1", "{\"type\":\"kv\"}");
    BAO.api("POST", "/v1/kv1/" + rel, "{\"K\":\"v1-value\"}");
    RecordingProxy p = proxy();
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", p.address(), "VAULT_PATH", "kv1/" + rel,
        "SECRETS_VAULT_KV_VERSION", "1"));

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("v1-value");
    assertThat(p.count(l -> l.contains("sys/internal/ui/mounts"))).isZero();
    assertThat(b.capabilities()).doesNotContain(org.nexusreussite.secrets.spi.Capability.VERSIONS);
  }

  @Test
  void kvV1MountIsDetectedAndItsLeaseBecomesTheTtl() {
    Bao.mount(BAO, "kv1", "{\"type\":\"kv\"}");
    BAO.api("POST", "/v1/kv1/" + rel, "{\"K\":\"v1-value\",\"ttl\":\"90s\"}");
    VaultSecretBackend b = backend(Map.of("VAULT_PATH", "kv1/" + rel));

    Secret s = b.fetch("K", VersionSelector.latest()).orElseThrow();

    assertThat(s.reveal()).isEqualTo("v1-value");
    assertThat(s.ttl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(b.fetch("K", VersionSelector.id(s.version().id()))).isPresent();
    assertThatThrownBy(() -> b.versions("K")).isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("KV v1");
    assertThatThrownBy(() -> b.rollback("K", s.version())).isInstanceOf(UnsupportedCapabilityException.class);
  }
}
