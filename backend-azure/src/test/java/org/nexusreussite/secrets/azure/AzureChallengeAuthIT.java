package org.nexusreussite.secrets.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.VersionSelector;

/**
 * The Key Vault challenge handshake the real client performs: a first request without a token answered
 * with 401 and {@code WWW-Authenticate}, then bearer requests. Its own stand-in (fresh port), because the
 * client caches the challenge per host and port for the JVM's life.
 */
class AzureChallengeAuthIT {
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
  void firstRequestIsChallengedThenTheBearerTokenFromTheCredentialIsSent() {
    vault.store.put("CHALLENGED-KEY", "challenged-value");
    AzureSecretBackend backend = AzureSecretBackend.create(vault.options().build());

    assertThat(backend.fetch("CHALLENGED_KEY", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("challenged-value");

    List<ServeEvent> events = new ArrayList<>(vault.server.getAllServeEvents());
    events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getRequest().containsHeader("Authorization")).isFalse();
    assertThat(events.get(0).getResponse().getStatus()).isEqualTo(401);
    assertThat(events.get(0).getResponse().getHeaders().getHeader("WWW-Authenticate").firstValue())
        .startsWith("Bearer authorization=");
    assertThat(events.get(1).getRequest().getHeader("Authorization")).isEqualTo("Bearer fake-token");
    assertThat(events.get(1).getRequest().getUrl()).startsWith("/secrets/CHALLENGED-KEY/?api-version=");
    assertThat(events.get(1).getResponse().getStatus()).isEqualTo(200);
    assertThat(vault.tokensIssued.get()).isPositive();
  }
}
