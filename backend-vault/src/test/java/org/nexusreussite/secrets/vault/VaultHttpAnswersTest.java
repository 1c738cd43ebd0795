package org.nexusreussite.secrets.vault;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * Answers a real Vault gives only in bad moments (sealed, garbage from a proxy, throttling), served by a
 * tiny local HTTP server so the backend's real HTTP stack handles them.
 */
class VaultHttpAnswersTest {
  private static final String LOOKUP = "{\"data\":{\"ttl\":0,\"renewable\":false}}";
  private static final String MOUNT = "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"options\":{\"version\":\"2\"}}}";

  @TempDir
  Path home;

  private final RecordingProxy server;
  private VaultSecretBackend backend;

  VaultHttpAnswersTest() throws Exception {
    server = new RecordingProxy(null);
  }

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
    server.close();
  }

  private VaultSecretBackend backend(Map<String, String> extra) {
    Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", server.address(), "VAULT_TOKEN", "s.canary-token",
        "VAULT_PATH", "secret/app", "SECRETS_VAULT_RETRIES", "2", "SECRETS_VAULT_RETRY_BACKOFF", "1ms"));
    s.putAll(extra);
    ManualClock clock = new ManualClock();
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> home)
        .create(TestBackendContext.of(VaultBackendProvider.ID, s).withScheduler(new ManualScheduler(clock)).withClock(clock));
    return backend;
  }

  private void answerLookupAndMount() {
    server.answer(l -> l.equals("GET /v1/auth/token/lookup-self"), b -> new RecordingProxy.Answer(200,
        "application/json", LOOKUP));
    server.answer(l -> l.startsWith("GET /v1/sys/internal/ui/mounts/"), b -> new RecordingProxy.Answer(200,
        "application/json", MOUNT));
  }

  @Test
  void htmlInsteadOfJsonIsAClearErrorWithoutTheBody() {
    answerLookupAndMount();
    server.answer(l -> l.equals("GET /v1/secret/data/app"), b -> new RecordingProxy.Answer(200, "text/html",
        "<html>login page canary-body</html>"));
    VaultSecretBackend b = backend(Map.of());

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("not a JSON object")
        .hasMessageContaining("text/html")
        .hasMessageContaining("points at Vault itself")
        .hasMessageNotContaining("canary");
  }

  @Test
  void truncatedJsonIsAClearError() {
    answerLookupAndMount();
    server.answer(l -> l.equals("GET /v1/secret/data/app"), b -> new RecordingProxy.Answer(200, "application/json",
        "{\"data\":{\"data\":{\"K\":\"canary"));
    VaultSecretBackend b = backend(Map.of());

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("not a JSON object")
        .hasMessageNotContaining("canary");
  }

  @Test
  void unexpectedJsonShapeIsAClearError() {
    answerLookupAndMount();
    server.answer(l -> l.equals("GET /v1/secret/data/app"), b -> new RecordingProxy.Answer(200, "application/json",
        "{\"hello\":\"world\"}"));
    VaultSecretBackend b = backend(Map.of());

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("unexpected shape");
  }

  @Test
  void sealedVaultIsUnavailableAndSaysSoAfterRetrying() {
    server.answer(l -> true, b -> new RecordingProxy.Answer(503, "application/json",
        "{\"errors\":[\"Vault is sealed\"]}"));
    VaultSecretBackend b = backend(Map.of());

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("is sealed")
        .hasMessageContaining("after 3 attempts");
    assertThat(server.requests()).hasSize(3);
    assertThat(b.health().status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(b.health().detail()).contains("sealed");
  }

  @Test
  void standby503IsUnavailableNamingStandby() {
    server.answer(l -> true, b -> new RecordingProxy.Answer(503, "text/plain", "no active node"));
    VaultSecretBackend b = backend(Map.of("SECRETS_VAULT_RETRIES", "0"));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class).hasMessageContaining("standby");
  }

  @Test
  void throttlingIsRetriedAndThenSucceeds() {
    answerLookupAndMount();
    int[] calls = {0};
    server.answer(l -> l.equals("GET /v1/secret/data/app"), b -> ++calls[0] < 3
        ? new RecordingProxy.Answer(429, "application/json", "{\"errors\":[\"rate limited\"]}")
        : new RecordingProxy.Answer(200, "application/json",
            "{\"data\":{\"data\":{\"K\":\"v\"},\"metadata\":{\"version\":4,\"created_time\":\"2026-01-01T00:00:00Z\"}}}"));
    VaultSecretBackend b = backend(Map.of());

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().version().id()).isEqualTo("4");
    assertThat(calls[0]).isEqualTo(3);
  }

  @Test
  void namespaceHeaderIsSentOnEveryRequest() {
    answerLookupAndMount();
    server.answer(l -> l.equals("GET /v1/secret/data/app"), b -> new RecordingProxy.Answer(404, "application/json",
        "{\"errors\":[]}"));
    VaultSecretBackend b = backend(Map.of("VAULT_NAMESPACE", "team-a/"));

    assertThat(b.fetch("K", VersionSelector.latest())).isEmpty();
    assertThat(server.namespaces()).isNotEmpty().allMatch("team-a/"::equals);
  }
}
