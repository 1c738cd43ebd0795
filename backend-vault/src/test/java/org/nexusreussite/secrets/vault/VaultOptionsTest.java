package org.nexusreussite.secrets.vault;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** Settings, activation and the strict-profile rules; no server needed. */
class VaultOptionsTest {
  @TempDir
  Path home;

  private static Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put("VAULT_ADDR", "https://vault.example:8200");
    m.put("VAULT_TOKEN", "s.canary-token-value");
    return m;
  }

  private VaultOptions options(Map<String, String> settings) {
    return VaultOptions.fromConfig(SecretsConfig.of(settings), home);
  }

  private TestBackendContext context(Map<String, String> settings) {
    ManualClock clock = new ManualClock();
    return TestBackendContext.of(VaultBackendProvider.ID, settings).withScheduler(new ManualScheduler(clock)).withClock(clock);
  }

  @Test
  void inactiveWithoutVaultAddrAndSaysSo() {
    Activation a = new VaultBackendProvider().activation(context(Map.of()));
    assertThat(a.active()).isFalse();
    assertThat(a.reason()).isEqualTo("VAULT_ADDR is not set");
  }

  @Test
  void activeWithVaultAddrNamingIt() {
    Activation a = new VaultBackendProvider().activation(context(base()));
    assertThat(a.active()).isTrue();
    assertThat(a.reason()).isEqualTo("VAULT_ADDR=https://vault.example:8200").doesNotContain("canary");
  }

  @Test
  void defaultsFollowTheOriginalService() {
    VaultOptions o = options(base());
    assertThat(o.paths()).containsExactly("secret/nexus-reussite");
    assertThat(o.auth()).isInstanceOf(VaultAuth.Token.class);
    assertThat(o.retries()).isEqualTo(2);
    assertThat(o.openTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.kvVersion()).isZero();
    assertThat(new VaultBackendProvider().defaultOrdinal()).isEqualTo(300);
  }

  @Test
  void severalPathsReplaceVaultPathInOrder() {
    Map<String, String> s = base();
    s.put("VAULT_PATH", "secret/ignored");
    s.put("SECRETS_VAULT_PATHS", "secret/app, /secret/shared/");
    assertThat(options(s).paths()).containsExactly("secret/app", "secret/shared");
  }

  @Test
  void timeoutsRetriesAndKvVersionAreRead() {
    Map<String, String> s = base();
    s.putAll(Map.of("SECRETS_VAULT_OPEN_TIMEOUT", "2s", "SECRETS_VAULT_READ_TIMEOUT", "PT7S",
        "SECRETS_VAULT_RETRIES", "4", "SECRETS_VAULT_RETRY_BACKOFF", "100ms", "SECRETS_VAULT_KV_VERSION", "1",
        "VAULT_NAMESPACE", "team-a"));
    VaultOptions o = options(s);
    assertThat(o.openTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(o.readTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(o.retries()).isEqualTo(4);
    assertThat(o.retryBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(o.kvVersion()).isEqualTo(1);
    assertThat(o.namespace()).contains("team-a");
  }

  @Test
  void badSettingsNameTheSettingAndNotTheValue() {
    Map<String, String> s = base();
    s.put("SECRETS_VAULT_KV_VERSION", "3");
    assertThatThrownBy(() -> options(s)).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_VAULT_KV_VERSION");
    Map<String, String> t = base();
    t.put("SECRETS_VAULT_READ_TIMEOUT", "soon");
    assertThatThrownBy(() -> options(t)).hasMessageContaining("SECRETS_VAULT_READ_TIMEOUT");
    Map<String, String> u = base();
    u.put("VAULT_ADDR", "vault.example:8200");
    assertThatThrownBy(() -> options(u)).hasMessageContaining("VAULT_ADDR").hasMessageContaining("https://");
  }

  @Test
  void missingTokenSaysWhereATokenCanComeFrom() {
    Map<String, String> s = base();
    s.remove("VAULT_TOKEN");
    assertThatThrownBy(() -> options(s)).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("VAULT_TOKEN").hasMessageContaining(".vault-token").hasMessageContaining("VAULT_ROLE_ID");
  }

  @Test
  void tokenFileInTheHomeFolderIsUsedWhenVaultTokenIsUnset() throws Exception {
    Files.writeString(home.resolve(".vault-token"), "s.from-file\n");
    Map<String, String> s = base();
    s.remove("VAULT_TOKEN");
    VaultAuth.Token t = (VaultAuth.Token) options(s).auth();
    assertThat(t.token()).isEqualTo("s.from-file");
    assertThat(t.toString()).doesNotContain("s.from-file");
  }

  @Test
  void authMethodIsInferredFromTheSettings() throws Exception {
    Map<String, String> s = base();
    s.putAll(Map.of("VAULT_ROLE_ID", "role", "VAULT_SECRET_ID", "canary-secret-id"));
    assertThat(options(s).auth()).isInstanceOf(VaultAuth.AppRole.class);
    assertThat(options(s).toString()).contains("approle").doesNotContain("canary");
    Map<String, String> k = base();
    k.putAll(Map.of("VAULT_K8S_ROLE", "nexus", "VAULT_K8S_AUTH_PATH", "auth/eks/"));
    VaultAuth.Kubernetes kube = (VaultAuth.Kubernetes) options(k).auth();
    assertThat(kube.mount()).isEqualTo("eks");
    assertThat(kube.tokenFile()).isEqualTo(VaultOptions.DEFAULT_K8S_TOKEN_FILE);
  }

  @Test
  void appRoleWithoutSecretIdIsRefusedNamingBothSettings() {
    Map<String, String> s = base();
    s.put("VAULT_ROLE_ID", "role");
    assertThatThrownBy(() -> options(s)).hasMessageContaining("VAULT_SECRET_ID")
        .hasMessageContaining("VAULT_SECRET_ID_FILE");
  }

  @Test
  void strictProfileRefusesHttp() {
    Map<String, String> s = base();
    s.put("VAULT_ADDR", "http://vault.example:8200");
    s.put("SECRETS_PROFILE", "production");
    assertThatThrownBy(() -> new VaultBackendProvider(() -> home).create(context(s)))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("Vault address must use HTTPS in production")
        .hasMessageNotContaining("canary");
  }

  @Test
  void strictProfileRefusesSkipVerify() {
    Map<String, String> s = base();
    s.put("VAULT_SKIP_VERIFY", "true");
    s.put("SECRETS_PROFILE", "staging");
    assertThatThrownBy(() -> new VaultBackendProvider(() -> home).create(context(s)))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("VAULT_SKIP_VERIFY").hasMessageContaining("VAULT_CACERT");
  }

  @Test
  void developmentAllowsHttpAndSkipVerify() {
    Map<String, String> s = base();
    s.put("VAULT_ADDR", "http://127.0.0.1:8200");
    s.put("VAULT_SKIP_VERIFY", "true");
    try (var backend = new VaultBackendProvider(() -> home).create(context(s))) {
      assertThat(backend.id()).isEqualTo("vault");
      assertThat(backend.toString()).doesNotContain("canary");
    }
  }

  @Test
  void unreadableCaCertIsRefusedNamingTheSetting() {
    Map<String, String> s = base();
    s.put("VAULT_CACERT", home.resolve("missing.pem").toString());
    assertThatThrownBy(() -> options(s)).hasMessageContaining("VAULT_CACERT");
  }

  @Test
  void garbageCaCertIsRefusedNamingTheSetting() throws Exception {
    Map<String, String> s = base();
    s.put("VAULT_CACERT", Files.writeString(home.resolve("ca.pem"), "not a certificate").toString());
    assertThatThrownBy(() -> new VaultBackendProvider(() -> home).create(context(s)))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("VAULT_CACERT");
  }

  @Test
  void pathsMustLookLikeVaultPaths() {
    assertThatThrownBy(() -> VaultOptions.builder("https://v:8200").paths(List.of("secret/../sys")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VaultOptions.builder("https://v:8200").paths(List.of("secret")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
