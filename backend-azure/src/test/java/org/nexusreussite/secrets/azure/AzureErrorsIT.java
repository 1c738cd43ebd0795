package org.nexusreussite.secrets.azure;

import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.VersionSelector;

/** Key Vault's 401, 403, 429 and disabled-secret answers, in the documented error shape, as SDK errors. */
class AzureErrorsIT {
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
    vault.server.resetRequests();
    vault.server.resetScenarios();
    vault.server.listAllStubMappings().getMappings().stream()
        .filter(m -> m.getPriority() != null && m.getPriority() == 1)
        .forEach(vault.server::removeStub);
    backend = AzureSecretBackend.create(vault.options().maxRetries(2).build());
  }

  /** A stub for authenticated requests only, ahead of the fake store, so the challenge still works. */
  private static MappingBuilder authorized(MappingBuilder stub) {
    return stub.atPriority(1).withHeader("Authorization", matching("Bearer .*"));
  }

  private static int authorizedGets(String path) {
    return vault.server.findAll(getRequestedFor(urlPathEqualTo(path))
        .withHeader("Authorization", matching("Bearer .*"))).size();
  }

  @Test
  void forbiddenNamesTheVaultTheKeyAndThePermissionToGrant() {
    vault.server.stubFor(authorized(get(urlPathEqualTo("/secrets/LOCKED-KEY/"))).willReturn(aResponse()
        .withStatus(403).withHeader("Content-Type", "application/json")
        .withBody(FakeKeyVault.errorBody("Forbidden", "The user, group or application 'appid=0000' does not have "
            + "secrets get permission on key vault 'standin'.", "AccessDenied"))));

    assertThatThrownBy(() -> backend.fetch("LOCKED_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining(vault.url())
        .hasMessageContaining("'LOCKED_KEY'")
        .hasMessageContaining("'get' permission")
        .hasMessageContaining("Key Vault Secrets User")
        .hasMessageContaining("HTTP 403 Forbidden/AccessDenied")
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
  }

  @Test
  void aTokenRefusedWithoutANewChallengeIsAnAuthenticationError() {
    vault.server.stubFor(authorized(get(urlPathEqualTo("/secrets/EXPIRED-TOKEN-KEY/"))).willReturn(aResponse()
        .withStatus(401).withHeader("Content-Type", "application/json")
        .withBody(FakeKeyVault.errorBody("Unauthorized", "AKV10032: Invalid issuer.", null))));

    assertThatThrownBy(() -> backend.fetch("EXPIRED_TOKEN_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("AZURE_TENANT_ID");
  }

  @Test
  void aDisabledSecretIsAClearErrorNotAnAbsence() {
    vault.store.put("DISABLED-KEY", "disabled-value").enabled = false;

    assertThatThrownBy(() -> backend.fetch("DISABLED_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'DISABLED_KEY'")
        .hasMessageContaining("is disabled")
        .hasMessageContaining("set-attributes --enabled true")
        .hasMessageNotContaining("disabled-value");
  }

  @Test
  void throttlingIsRetriedAfterTheRetryAfterDelay() {
    vault.store.put("BUSY-KEY", "busy-value");
    vault.server.stubFor(authorized(get(urlPathEqualTo("/secrets/BUSY-KEY/")))
        .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("served")
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
            .withHeader("Content-Type", "application/json")
            .withBody(FakeKeyVault.errorBody("Throttled", "Request was not processed because too many requests "
                + "were received.", null))));

    long started = System.nanoTime();
    String value = backend.fetch("BUSY_KEY", VersionSelector.latest()).orElseThrow().reveal();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(value).isEqualTo("busy-value");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(authorizedGets("/secrets/BUSY-KEY/")).isEqualTo(2);
  }

  @Test
  void throttlingPastTheRetriesIsUnavailableAfterABoundedNumberOfRequests() {
    vault.server.stubFor(authorized(get(urlPathEqualTo("/secrets/HOT-KEY/"))).willReturn(aResponse()
        .withStatus(429).withHeader("Retry-After", "0").withHeader("Content-Type", "application/json")
        .withBody(FakeKeyVault.errorBody("Throttled", "Too many requests.", null))));

    assertThatThrownBy(() -> backend.fetch("HOT_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("HTTP 429")
        .hasMessageContaining("2 retries")
        .hasMessageContaining("SECRETS_CACHE_REFRESH");
    assertThat(authorizedGets("/secrets/HOT-KEY/")).isEqualTo(3);
  }

  @Test
  void aRetryAfterBeyondTheBoundFailsAtOnceInsteadOfParkingTheCaller() {
    vault.server.stubFor(authorized(get(urlPathEqualTo("/secrets/SLOW-KEY/"))).willReturn(aResponse()
        .withStatus(429).withHeader("Retry-After", "600").withHeader("Content-Type", "application/json")
        .withBody(FakeKeyVault.errorBody("Throttled", "Too many requests.", null))));

    long started = System.nanoTime();
    assertThatThrownBy(() -> backend.fetch("SLOW_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("Retry-After 600s");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(authorizedGets("/secrets/SLOW-KEY/")).isEqualTo(1);
  }

  @Test
  void healthIsDownWithThePermissionWhenTheProbeIsForbidden() {
    vault.server.stubFor(authorized(get(urlPathEqualTo("/secrets/nexus-secrets-health-probe/"))).willReturn(
        aResponse().withStatus(403).withHeader("Content-Type", "application/json")
            .withBody(FakeKeyVault.errorBody("Forbidden", "Caller is not authorized.", "ForbiddenByRbac"))));

    BackendHealth health = backend.health();

    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.detail()).contains("Key Vault Secrets User");
  }

  @Test
  void healthIsUpWhenTheProbeIsNotFound() {
    assertThat(backend.health().status()).isEqualTo(BackendHealth.Status.UP);
  }
}
