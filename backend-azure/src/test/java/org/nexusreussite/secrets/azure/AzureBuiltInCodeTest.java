package org.nexusreussite.secrets.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;

/** The Azure backend built in code with public API only: its provider and {@link BackendContext#builder}. */
class AzureBuiltInCodeTest {

  @Test
  void isBuiltInCodeWithThePublicContextBuilder() {
    BackendContext context = BackendContext.builder(AzureSecretBackend.ID)
        .config(SecretsConfig.of(Map.of(AzureBackendProvider.VAULT_URL, "https://my-vault.vault.azure.net",
            "AZURE_TENANT_ID", "00000000-0000-0000-0000-000000000000", "AZURE_CLIENT_ID", "app",
            "AZURE_CLIENT_SECRET", "not-a-real-secret")))
        .build();

    try (SecretBackend backend = new AzureBackendProvider().create(context)) {
      assertThat(backend.id()).isEqualTo("azure");
      assertThat(backend.describe()).contains("my-vault.vault.azure.net");
      assertThat(backend.versionScope()).as("Key Vault versions each secret on its own")
          .isEqualTo(VersionScope.KEY);
    }
  }
}
