package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * Issue 13 §5, one request per source at cold start, counted at a real OpenBao: the quickstart's 8 keys on
 * one Vault path cost one GET of that path, because the first read's siblings are cached (the backend returns
 * every field of the path; the resolver keeps them). A counting HTTP proxy sits between the SDK and OpenBao,
 * since OpenBao refuses audit devices enabled through the API.
 */
class VaultColdStartRequestsIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();
  /** The quickstart's keys (examples/quickstart): 3 required, 5 optional. */
  private static final String[] KEYS = {"SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "REDIS_URL",
      "OPENAI_API_KEY", "SENTRY_DSN", "SMTP_PASSWORD", "STRIPE_API_KEY"};

  private RecordingProxy proxy;

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void theQuickstartsEightKeysOnOnePathCostOneGetOfThatPathAtColdStart() throws Exception {
    String rel = "cold-start-" + UUID.randomUUID();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String key : KEYS) {
      fields.put(key, "value-of-" + key.toLowerCase(java.util.Locale.ROOT));
    }
    Bao.putV2(BAO, rel, fields);
    proxy = new RecordingProxy(BAO.address());
    SecretBackend vault = new VaultBackendProvider().create(BackendContext.builder(VaultBackendProvider.ID)
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", proxy.address(), "VAULT_TOKEN", BAO.rootToken(),
            "VAULT_PATH", "secret/" + rel)))
        .build());

    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(vault, VaultBackendProvider.ORDINAL).build()) {
      for (String key : KEYS) {
        assertThat(resolver.resolve(key)).isEqualTo(fields.get(key));
      }
    }

    assertThat(proxy.requests()).filteredOn(r -> r.equals("GET /v1/secret/data/" + rel))
        .as("GETs of the path: %s", proxy.requests()).hasSize(1);
  }
}
