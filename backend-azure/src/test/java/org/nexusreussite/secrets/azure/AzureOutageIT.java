package org.nexusreussite.secrets.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * The vault goes away (WireMock stopped): the resolver keeps serving the last value until max-stale,
 * then reads throw the backend's unavailable error. Time moves by a manual clock, not by sleeping.
 */
class AzureOutageIT {
  private static KeyVaultStandIn vault;

  @BeforeAll
  static void startVault() throws Exception {
    vault = KeyVaultStandIn.start();
  }

  @AfterAll
  static void stopVault() {
    vault.close();
  }

  @Test
  void anOutageIsServedStaleUntilMaxStaleThenReadsFail() {
    vault.store.put("OUTAGE-KEY", "last-good-value");
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    AzureSecretBackend backend = AzureSecretBackend.create(vault.options().clock(clock).maxRetries(1).build());
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(Map.of()))
        .backend(backend, AzureBackendProvider.ORDINAL).clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofMinutes(1)).maxStale(Duration.ofMinutes(10)).build()) {
      assertThat(resolver.resolve("OUTAGE_KEY")).isEqualTo("last-good-value");

      vault.close();
      scheduler.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve("OUTAGE_KEY")).isEqualTo("last-good-value");
      assertThat(statusOfAzure(resolver)).isEqualTo(BackendHealth.Status.DEGRADED);

      scheduler.advance(Duration.ofMinutes(10));

      assertThatThrownBy(() -> resolver.resolve("OUTAGE_KEY"))
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("Could not reach Azure Key Vault " + vault.url())
          .hasMessageNotContaining("last-good-value");
      assertThat(statusOfAzure(resolver)).isEqualTo(BackendHealth.Status.DOWN);
    }
  }

  private static BackendHealth.Status statusOfAzure(SecretResolver resolver) {
    return resolver.inspect().health().stream().filter(h -> h.backendId().equals("azure")).findFirst().orElseThrow()
        .status();
  }
}
