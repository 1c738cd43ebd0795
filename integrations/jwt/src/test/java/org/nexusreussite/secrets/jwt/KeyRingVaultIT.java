package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.vault.VaultBackendProvider;

/**
 * The key ring over a real OpenBao KV v2 path shared with another field: history read back after a restart,
 * and a write to the other field (a new path version) neither changing the key id nor taking a slot.
 */
class KeyRingVaultIT {
  private static final String KEY = "JWT_SECRET_KEY";
  private final OpenBaoServer bao = OpenBaoServer.shared();
  private final String rel = "ring-" + UUID.randomUUID();

  private SecretResolver resolver() {
    return SecretResolver.builder().config(SecretsConfig.empty())
        .backend(new VaultBackendProvider().create(BackendContext.builder("vault")
            .config(SecretsConfig.of(Map.of("VAULT_ADDR", bao.address(), "VAULT_TOKEN", bao.rootToken(),
                "VAULT_PATH", "secret/" + rel)))
            .build()), 300)
        .build();
  }

  private void put(String jwtKey, String other) {
    bao.api("POST", "/v1/secret/data/" + rel,
        "{\"data\":{\"" + KEY + "\":\"" + jwtKey + "\",\"OTHER\":\"" + other + "\"}}");
  }

  private static void refresh(SecretResolver r) throws Exception {
    r.admin().refresh().get(30, TimeUnit.SECONDS);
  }

  @Test
  void historyComesBackFromVaultAndAnotherFieldsWriteKeepsTheKeyId() throws Exception {
    put(RingFixture.hmacKey("v1"), "o1");
    try (SecretResolver resolver = resolver(); KeyRing ring = KeyRing.builder(resolver, KEY).build()) {
      String first = ring.current().keyId();

      put(RingFixture.hmacKey("v1"), "o2");           // path version 2: only OTHER changed
      refresh(resolver);
      assertThat(ring.current().versionId()).isEqualTo("2");
      assertThat(ring.current().keyId()).isEqualTo(first);
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).containsExactly(first);

      put(RingFixture.hmacKey("v2"), "o2");           // path version 3: the key rotated
      refresh(resolver);
      String second = ring.current().keyId();
      assertThat(second).isNotEqualTo(first);
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).containsExactly(second, first);

      try (SecretResolver restarted = resolver(); KeyRing again = KeyRing.builder(restarted, KEY).build()) {
        assertThat(again.verificationKeys()).as("read back from the path's history, each key once")
            .extracting(RingKey::keyId).containsExactly(second, first);
      }
    }
  }
}
