package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** reportedState(): what the Vault backend knows without asking, at a real OpenBao. */
class VaultReportedStateIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();

  @Test
  void aTokenThatCannotBeRenewedMakesTheBackendDegradedWithoutAProbe() {
    String rel = "reported-" + UUID.randomUUID();
    Bao.putV2(BAO, rel, Map.of("K", "v"));
    Bao.policy(BAO, "reader", "path \"secret/*\" { capabilities = [\"read\", \"list\"] }");
    String token = Bao.token(BAO, "\"ttl\":\"1h\"", "reader");
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (SecretBackend vault = new VaultBackendProvider().create(BackendContext.builder(VaultBackendProvider.ID)
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", BAO.address(), "VAULT_TOKEN", token,
            "VAULT_PATH", "secret/" + rel, "SECRETS_VAULT_RETRIES", "0")))
        .scheduler(scheduler).clock(clock).build())) {
      assertThat(vault.fetch("K", VersionSelector.latest())).isPresent(); // looks the token up, plans renewal
      assertThat(vault.reportedState()).isEmpty();

      BAO.api("POST", "/v1/auth/token/revoke", "{\"token\":\"" + token + "\"}");
      scheduler.advance(Duration.ofMinutes(50)); // past the renewal at about two thirds of the hour

      BackendHealth state = vault.reportedState().orElseThrow();
      assertThat(state.status()).isEqualTo(BackendHealth.Status.DEGRADED);
      assertThat(state.detail()).contains("Vault at " + BAO.address(), "renewing the Vault token answered 403",
          "reads will fail once it expires").doesNotContain(token);
    }
  }
}
