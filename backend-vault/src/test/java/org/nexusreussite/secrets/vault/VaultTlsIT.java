package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/**
 * {@code VAULT_CACERT}, the JDK's default trust and {@code VAULT_SKIP_VERIFY} against a real OpenBao that
 * serves HTTPS with a CA it generated at start ({@code bao server -dev -dev-tls}), so no test here can pass
 * by trusting a certificate the JDK already knows.
 */
class VaultTlsIT {
  private static OpenBaoServer tls;

  @TempDir
  static Path certs;

  @TempDir
  Path home;

  private final String rel = "tls-" + UUID.randomUUID();
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private TestBackendContext context;
  private VaultSecretBackend backend;

  @BeforeAll
  static void startHttpsServer() {
    tls = OpenBaoServer.withTls(certs.resolve("bao"));
    tls.start();
  }

  @AfterAll
  static void stopHttpsServer() {
    tls.close();
  }

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private Map<String, String> settings(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>();
    settings.put("VAULT_ADDR", tls.address());
    settings.put("VAULT_TOKEN", tls.rootToken());
    settings.put("VAULT_PATH", "secret/" + rel);
    settings.put("VAULT_CACERT", tls.caCert().toString());
    settings.put("SECRETS_VAULT_RETRIES", "0");
    settings.putAll(extra);
    settings.values().removeIf(String::isEmpty);
    return settings;
  }

  private VaultSecretBackend backend(Map<String, String> extra) {
    context = TestBackendContext.of(VaultBackendProvider.ID, settings(extra)).withScheduler(scheduler)
        .withClock(Clock.systemUTC());
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> home).create(context);
    return backend;
  }

  @Test
  void readsOverHttpsTrustingTheCaOfVaultCacert() {
    Bao.putV2(tls, rel, Map.of("DATABASE_URL", "postgres://tls", "JWT_SECRET_KEY", "jwt"));
    VaultSecretBackend b = backend(Map.of());

    assertThat(tls.address()).startsWith("https://127.0.0.1:");
    assertThat(b.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("postgres://tls");
    assertThat(b.versions("JWT_SECRET_KEY")).hasSize(1);
    assertThat(b.health().status()).isEqualTo(BackendHealth.Status.UP);
    assertThat(context.warnings()).isEmpty();
  }

  @Test
  void withoutVaultCacertTheJdkTrustRefusesTheHandshakeAndTheMessageNamesVaultCacert() {
    Bao.putV2(tls, rel, Map.of("K", "v"));
    VaultSecretBackend b = backend(Map.of("VAULT_CACERT", "", "SECRETS_VAULT_RETRIES", "2"));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageStartingWith("Vault at " + tls.address() + " failed the TLS handshake (check VAULT_CACERT "
            + "and that VAULT_ADDR uses the right scheme)")
        .hasMessageContaining("Verify network connectivity to Vault at " + tls.address())
        .hasMessageNotContaining(tls.rootToken())
        .hasCauseInstanceOf(SSLHandshakeException.class)
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
    assertThat(b.health().status()).isEqualTo(BackendHealth.Status.DOWN);
  }

  @Test
  void httpsAddressOfAPlainHttpServerFailsTheHandshakeNamingTheScheme() {
    OpenBaoServer plain = OpenBaoServer.shared();
    String wrong = plain.address().replace("http://", "https://");
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", wrong, "VAULT_TOKEN", plain.rootToken()));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("Vault at " + wrong + " failed the TLS handshake")
        .hasMessageContaining("VAULT_ADDR uses the right scheme")
        .hasCauseInstanceOf(SSLException.class);
  }

  @Test
  void httpAddressOfAnHttpsServerIsUnavailableNamingTheAddress() {
    // OpenBao answers plain HTTP on its TLS port with a bare "400 Client sent an HTTP request to an HTTPS
    // server" that the JDK client cannot parse: it surfaces as an I/O failure, not as a parser stack trace
    String wrong = tls.address().replace("https://", "http://");
    VaultSecretBackend b = backend(Map.of("VAULT_ADDR", wrong, "VAULT_CACERT", ""));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageStartingWith("Vault at " + wrong + " ")
        .hasMessageContaining("Verify network connectivity to Vault at " + wrong + " and that VAULT_ADDR is right")
        .hasMessageNotContaining(tls.rootToken());
  }

  @Test
  void strictProfileAcceptsTheHttpsAddressWithVaultCacert() {
    Bao.putV2(tls, rel, Map.of("API_KEY", "production-grade"));
    Map<String, String> config = settings(Map.of("SECRETS_PROFILE", "production"));

    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(config))
        .provider(new VaultBackendProvider(() -> home)).clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofMinutes(1)).build()) {
      assertThat(resolver.resolve("API_KEY")).isEqualTo("production-grade");
    }
  }

  @Test
  void strictProfileStillRefusesSkipVerifyOnAnHttpsAddress() {
    Map<String, String> config = settings(Map.of("SECRETS_PROFILE", "production", "VAULT_SKIP_VERIFY", "true"));

    assertThatThrownBy(() -> SecretResolver.builder().config(SecretsConfig.of(config))
        .provider(new VaultBackendProvider(() -> home)).clock(clock).scheduler(scheduler).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("VAULT_SKIP_VERIFY is set in profile 'production'");
  }

  @Test
  void skipVerifyInDevelopmentReadsWithoutTheCaAndWarns() {
    Bao.putV2(tls, rel, Map.of("K", "unverified"));
    VaultSecretBackend b = backend(Map.of("VAULT_CACERT", "", "VAULT_SKIP_VERIFY", "true"));

    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("unverified");
    assertThat(context.warnings()).singleElement().asString()
        .contains("VAULT_SKIP_VERIFY is set")
        .doesNotContain(tls.rootToken());
  }
}
