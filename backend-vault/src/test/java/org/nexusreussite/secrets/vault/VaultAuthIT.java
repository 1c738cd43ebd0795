package org.nexusreussite.secrets.vault;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.TaskScheduler;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/** Token, AppRole and Kubernetes authentication, renewal and re-login against a real OpenBao. */
class VaultAuthIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();
  private static String roleId;

  @TempDir
  Path dir;

  private final String rel = "auth-" + UUID.randomUUID();
  private VaultSecretBackend backend;
  private ExecutorTaskScheduler realScheduler;
  private RecordingProxy proxy;

  @BeforeAll
  static void enableAppRole() {
    if (BAO.apiResponse("GET", "/v1/sys/auth/approle/tune", null).statusCode() != 200) {
      BAO.api("POST", "/v1/sys/auth/approle", "{\"type\":\"approle\"}");
    }
    Bao.policy(BAO, "app-reader", "path \"secret/data/*\" { capabilities = [\"read\"] }\n"
        + "path \"secret/metadata/*\" { capabilities = [\"read\", \"list\"] }");
    BAO.api("POST", "/v1/auth/approle/role/app", "{\"token_policies\":[\"app-reader\"],\"token_ttl\":\"1h\"}");
    roleId = Json.parse(BAO.api("GET", "/v1/auth/approle/role/app/role-id", null)).asObject().get("data")
        .asObject().getString("role_id", null);
  }

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
    if (realScheduler != null) {
      realScheduler.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private static String secretId() {
    return Json.parse(BAO.api("POST", "/v1/auth/approle/role/app/secret-id", "{}")).asObject().get("data")
        .asObject().getString("secret_id", null);
  }

  private VaultSecretBackend backend(Map<String, String> settings, TaskScheduler scheduler) {
    Map<String, String> all = new HashMap<>();
    all.put("VAULT_ADDR", BAO.address());
    all.put("VAULT_PATH", "secret/" + rel);
    all.put("SECRETS_VAULT_RETRIES", "0");
    all.putAll(settings);
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> dir)
        .create(TestBackendContext.of(VaultBackendProvider.ID, all).withScheduler(scheduler).withClock(Clock.systemUTC()));
    return backend;
  }

  private static ManualScheduler manual() {
    return new ManualScheduler(new ManualClock());
  }

  @Test
  void appRoleLogsInAndReads() {
    Bao.putV2(BAO, rel, Map.of("K", "via-approle"));
    VaultSecretBackend b = backend(Map.of("VAULT_ROLE_ID", roleId, "VAULT_SECRET_ID", secretId()), manual());

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("via-approle");
    assertThat(b.session().logins()).isEqualTo(1);
    assertThat(b.toString()).contains("approle");
  }

  @Test
  void appRoleSecretIdCanComeFromAFile() throws Exception {
    Bao.putV2(BAO, rel, Map.of("K", "via-file"));
    Path file = Files.writeString(dir.resolve("secret-id"), secretId() + "\n");
    VaultSecretBackend b = backend(Map.of("VAULT_ROLE_ID", roleId, "VAULT_SECRET_ID_FILE", file.toString()),
        manual());

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("via-file");
  }

  @Test
  void wrongSecretIdIsAnAuthenticationErrorNamingTheSettings() {
    VaultSecretBackend b = backend(Map.of("VAULT_ROLE_ID", roleId, "VAULT_SECRET_ID", "not-a-secret-id"),
        manual());

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageStartingWith("Failed to authenticate with Vault: approle login at auth/approle/login")
        .hasMessageContaining("VAULT_SECRET_ID")
        .hasMessageNotContaining("not-a-secret-id");
  }

  @Test
  void appRoleLogsInAgainWhenItsTokenIsRevoked() throws Exception {
    Bao.putV2(BAO, rel, Map.of("K", "v"));
    proxy = new RecordingProxy(BAO.address());
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", proxy.address(), "VAULT_ROLE_ID", roleId,
        "VAULT_SECRET_ID", secretId()), manual());
    assertThat(b.fetch("K", VersionSelector.latest())).isPresent();
    BAO.api("POST", "/v1/auth/token/revoke", new JsonObject().add("token", b.session().token()).toString());

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("v");
    assertThat(b.session().logins()).isEqualTo(2);
    assertThat(proxy.count(l -> l.equals("POST /v1/auth/approle/login"))).isEqualTo(2);
  }

  @Test
  void shortTtlTokenIsRenewedBeforeItExpires() {
    Bao.putV2(BAO, rel, Map.of("K", "still-readable"));
    Bao.policy(BAO, "reader-all", "path \"secret/*\" { capabilities = [\"read\", \"list\"] }");
    String token = Bao.token(BAO, "\"ttl\":\"3s\",\"explicit_max_ttl\":\"60s\",\"renewable\":true", "reader-all");
    realScheduler = new ExecutorTaskScheduler();
    VaultSecretBackend b = backend(Map.of("VAULT_TOKEN", token), realScheduler);
    assertThat(b.fetch("K", VersionSelector.latest())).isPresent();
    Instant start = Instant.now();

    // bounded wait on the real server's clock: past two original TTLs, renewals must have kept it alive
    Instant deadline = start.plusSeconds(20);
    while (b.session().renewals() < 3 && Instant.now().isBefore(deadline)) {
      pause(100);
    }

    assertThat(b.session().renewals()).isGreaterThanOrEqualTo(3);
    assertThat(Duration.between(start, Instant.now())).isGreaterThan(Duration.ofSeconds(3));
    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("still-readable");
  }

  @Test
  void nonRenewableLoginTokenIsReplacedByANewLogin() {
    Bao.putV2(BAO, rel, Map.of("K", "v"));
    BAO.api("POST", "/v1/auth/approle/role/short", "{\"token_policies\":[\"app-reader\"],\"token_ttl\":\"3s\","
        + "\"token_max_ttl\":\"3s\",\"token_type\":\"batch\"}");
    String shortRole = Json.parse(BAO.api("GET", "/v1/auth/approle/role/short/role-id", null)).asObject()
        .get("data").asObject().getString("role_id", null);
    String shortSecret = Json.parse(BAO.api("POST", "/v1/auth/approle/role/short/secret-id", "{}")).asObject()
        .get("data").asObject().getString("secret_id", null);
    realScheduler = new ExecutorTaskScheduler();
    VaultSecretBackend b = backend(Map.of("VAULT_ROLE_ID", shortRole, "VAULT_SECRET_ID", shortSecret),
        realScheduler);
    assertThat(b.fetch("K", VersionSelector.latest())).isPresent();

    Instant deadline = Instant.now().plusSeconds(20);
    while (b.session().logins() < 3 && Instant.now().isBefore(deadline)) {
      pause(100);
    }

    assertThat(b.session().logins()).isGreaterThanOrEqualTo(3);
    assertThat(b.fetch("K", VersionSelector.latest())).isPresent();
  }

  @Test
  void kubernetesLoginSendsTheRoleAndServiceAccountToken() throws Exception {
    // OpenBao cannot verify a service-account JWT without a Kubernetes API, so the proxy answers the login
    // itself with a real token from the server; everything else goes to OpenBao
    Bao.putV2(BAO, rel, Map.of("K", "via-k8s"));
    Path jwt = Files.writeString(dir.resolve("token"), "header.payload.signature");
    String realToken = Bao.token(BAO, "\"ttl\":\"1h\"", "app-reader");
    String[] loginBody = new String[1];
    proxy = new RecordingProxy(BAO.address());
    proxy.answer(line -> line.equals("POST /v1/auth/k8s-cluster/login"), body -> {
      loginBody[0] = body;
      return new RecordingProxy.Answer(200, "application/json", "{\"auth\":{\"client_token\":\"" + realToken
          + "\",\"lease_duration\":3600,\"renewable\":true}}");
    });
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", proxy.address(), "VAULT_K8S_ROLE", "nexus",
        "VAULT_K8S_TOKEN_FILE", jwt.toString(), "VAULT_K8S_AUTH_PATH", "auth/k8s-cluster"), manual());

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("via-k8s");
    JsonObject sent = Json.parse(loginBody[0]).asObject();
    assertThat(sent.getString("role", null)).isEqualTo("nexus");
    assertThat(sent.getString("jwt", null)).isEqualTo("header.payload.signature");
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
