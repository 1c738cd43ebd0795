package org.nexusreussite.secrets.azure;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;

/** The SPI contract, through the Azure client, against the Key Vault stand-in over HTTPS. */
class AzureSecretBackendContractIT extends SecretBackendContractTest {
  private static KeyVaultStandIn vault;

  @BeforeAll
  static void startVault() throws Exception {
    vault = KeyVaultStandIn.start();
  }

  @AfterAll
  static void stopVault() {
    vault.close();
  }

  @Override
  protected SecretBackend createBackend() {
    return AzureSecretBackend.create(vault.options().build());
  }

  @Override
  protected void store(String key, String value) {
    vault.store.put(key.replace('_', '-'), value);
  }

  @Override
  protected String absentVersionId() {
    return "0123456789abcdef0123456789abcdef";
  }
}
