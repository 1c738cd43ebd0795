package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * The Vault backend built in code with public API only (its provider and {@link BackendContext#builder}),
 * reading from a real OpenBao: no testkit context, no class of the SDK's internals.
 */
class VaultBuiltInCodeIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();

  @Test
  void isBuiltInCodeWithThePublicContextBuilderAndReads() {
    String rel = "built-in-code-" + UUID.randomUUID();
    Bao.putV2(BAO, rel, Map.of("DATABASE_URL", "postgres://db"));
    BackendContext context = BackendContext.builder(VaultBackendProvider.ID)
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", BAO.address(), "VAULT_TOKEN", BAO.rootToken(),
            "VAULT_PATH", "secret/" + rel)))
        .build();

    try (SecretBackend vault = new VaultBackendProvider().create(context);
        SecretResolver resolver = SecretResolver.builder().backend(vault, VaultBackendProvider.ORDINAL).build()) {

      assertThat(vault.describe()).isEqualTo("vault[secret/" + rel + "]");
      assertThat(vault.fetch("DATABASE_URL", VersionSelector.latest())).isPresent();
      assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://db");
    }
  }
}
