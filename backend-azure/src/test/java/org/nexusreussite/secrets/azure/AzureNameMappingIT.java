package org.nexusreussite.secrets.azure;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.VersionSelector;

/** Keys to Key Vault names on the wire: dashes, case-insensitivity, the prefix, listing, refusals. */
class AzureNameMappingIT {
  private static KeyVaultStandIn vault;
  private AzureSecretBackend backend;

  @BeforeAll
  static void startVault() throws Exception {
    vault = KeyVaultStandIn.start();
  }

  @AfterAll
  static void stopVault() {
    vault.close();
  }

  @BeforeEach
  void createBackend() {
    vault.store.clear();
    vault.store.pageSize(2);
    vault.server.resetRequests();
    backend = AzureSecretBackend.create(vault.options().build());
  }

  /** A backend built by the provider from settings, plus the stand-in's test-only transport options. */
  private AzureSecretBackend fromSettings(Map<String, String> settings) {
    AzureOptions.Builder options = new AzureBackendProvider().options(TestBackendContext.of(AzureSecretBackend.ID, settings))
        .credential(vault.credential())
        .sslContext(vault.sslContext)
        .disableChallengeResourceVerification()
        .maxRetries(0);
    return AzureSecretBackend.create(options.build());
  }

  @Test
  void underscoresAreSentAsDashes() {
    vault.store.put("DATABASE-URL", "postgres://db");

    assertThat(backend.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("postgres://db");
    assertThat(vault.server.findAll(getRequestedFor(urlPathEqualTo("/secrets/DATABASE-URL/"))
        .withHeader("Authorization", matching("Bearer .*")))).hasSize(1);
  }

  @Test
  void namesMatchWhateverTheirCaseInTheVault() {
    vault.store.put("payment-api-key", "pay-123");

    assertThat(backend.fetch("PAYMENT_API_KEY", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("pay-123");
  }

  @Test
  void thePrefixSettingIsPutBeforeEveryName() {
    vault.store.put("myapp-JWT-SECRET", "jwt-value");
    AzureSecretBackend prefixed = fromSettings(Map.of("AZURE_KEYVAULT_URL", vault.url(),
        "SECRETS_AZURE_PREFIX", "myapp_"));

    assertThat(prefixed.fetch("JWT_SECRET", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("jwt-value");
    assertThat(backend.fetch("JWT_SECRET", VersionSelector.latest())).isEmpty();
  }

  @Test
  void listingMapsNamesBackAcrossPagesKeepingOnlyThisPrefixAndServableSecrets() {
    vault.store.put("myapp-DATABASE-URL", "a");
    vault.store.put("myapp-JWT-SECRET", "b");
    vault.store.put("myapp-OLD-TOKEN", "c").enabled = false;
    vault.store.put("otherapp-DATABASE-URL", "d");
    vault.store.put("MYAPP-SMTP-PASSWORD", "e");
    AzureSecretBackend prefixed = fromSettings(Map.of("SECRETS_AZURE_VAULT_URL", vault.url(),
        "SECRETS_AZURE_PREFIX", "myapp-"));

    assertThat(prefixed.keys()).containsExactly("DATABASE_URL", "JWT_SECRET", "SMTP_PASSWORD");
    assertThat(vault.server.findAll(getRequestedFor(urlPathEqualTo("/secrets"))
        .withHeader("Authorization", matching("Bearer .*")))).hasSize(3);
  }

  @Test
  void aKeyWithADotIsRefusedByNameWithoutAsking() {
    assertThatThrownBy(() -> backend.fetch("spring.datasource.url", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'spring.datasource.url'")
        .hasMessageContaining(vault.url());
    assertThat(vault.server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
  }

  @Test
  void twoKeysLandingOnOneSecretAreRefusedNamingBoth() {
    vault.store.put("A-B", "shared");
    assertThat(backend.fetch("A_B", VersionSelector.latest())).isPresent();

    assertThatThrownBy(() -> backend.fetch("A-B", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'A_B'")
        .hasMessageContaining("'A-B'");
  }
}
