package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.ResolverDescription.BackendDescription;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/** What {@code describe()} advertises for a Vault path depends on its engine, detected at a real OpenBao. */
class VaultKvVersionDescribeIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();
  private final String rel = "describe-" + UUID.randomUUID();

  private static SecretResolver resolver(String path) {
    SecretBackend vault = new VaultBackendProvider().create(BackendContext.builder(VaultBackendProvider.ID)
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", BAO.address(), "VAULT_TOKEN", BAO.rootToken(),
            "VAULT_PATH", path)))
        .build());
    return SecretResolver.builder().config(SecretsConfig.empty()).backend(vault, VaultBackendProvider.ORDINAL)
        .build();
  }

  private static Set<Capability> vaultCapabilities(SecretResolver resolver) {
    return resolver.inspect().describe().backends().stream().filter(b -> b.id().equals("vault")).findFirst()
        .map(BackendDescription::capabilities).orElseThrow();
  }

  @Test
  void aKvV1PathAdvertisesNeitherVersionsNorRollback() {
    Bao.mount(BAO, "kv1", "{\"type\":\"kv\"}");
    BAO.api("POST", "/v1/kv1/" + rel, "{\"K\":\"v1-value\"}");
    try (SecretResolver resolver = resolver("kv1/" + rel)) {

      assertThat(resolver.resolve("K")).isEqualTo("v1-value");

      assertThat(vaultCapabilities(resolver)).containsExactly(Capability.LISTING);
      // KV v1 has no check-and-set: a write is refused rather than made last-writer-wins
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> resolver.admin().write("K",
          org.nexusreussite.secrets.SecretValue.of("v2-value"), org.nexusreussite.secrets.WriteOptions.defaults()))
          .isInstanceOf(org.nexusreussite.secrets.UnsupportedCapabilityException.class)
          .hasMessageNotContaining("v2-value");
      assertThat(resolver.resolve("K")).isEqualTo("v1-value");
    }
  }

  @Test
  void aKvV2PathAdvertisesVersionsAndRollback() {
    Bao.putV2(BAO, rel, Map.of("K", "v2-value"));
    try (SecretResolver resolver = resolver("secret/" + rel)) {

      assertThat(resolver.resolve("K")).isEqualTo("v2-value");

      assertThat(vaultCapabilities(resolver))
          .containsExactlyInAnyOrder(Capability.VERSIONS, Capability.ROLLBACK, Capability.LISTING, Capability.WRITE);
      assertThat(resolver.admin().versions("K")).isNotEmpty();
    }
  }
}
