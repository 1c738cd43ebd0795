package org.nexusreussite.secrets.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretVersion.State;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;

/** History through the Azure client: paged version listings, states, previous(), and rollback's PUT. */
class AzureVersionsIT {
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
    vault.store.pageSize(2);
    vault.server.resetRequests();
    backend = AzureSecretBackend.create(vault.options().build());
  }

  /** Five versions, oldest first, with the 2nd expired and the 4th disabled. */
  private List<FakeKeyVault.Version> fiveVersions(String name) {
    for (int i = 1; i <= 5; i++) {
      vault.store.put(name, "value-" + i);
    }
    List<FakeKeyVault.Version> v = vault.store.versions(name);
    v.get(1).expires = 1_600_000_000L;
    v.get(3).enabled = false;
    return v;
  }

  @Test
  void versionsAreListedAcrossPagesNewestFirstWithCreationTimesAndStates() {
    List<FakeKeyVault.Version> stored = fiveVersions("HISTORY-KEY");

    List<SecretVersion> versions = backend.versions("HISTORY_KEY");

    assertThat(versions).extracting(SecretVersion::id).containsExactly(stored.get(4).id, stored.get(3).id,
        stored.get(2).id, stored.get(1).id, stored.get(0).id);
    assertThat(versions).extracting(SecretVersion::current).containsExactly(true, false, false, false, false);
    assertThat(versions).extracting(SecretVersion::state)
        .containsExactly(State.ENABLED, State.DISABLED, State.ENABLED, State.EXPIRED, State.ENABLED);
    assertThat(versions.get(0).createdAt()).contains(Instant.ofEpochSecond(stored.get(4).created));
    // five items at two per page: the client followed nextLink twice
    assertThat(vault.server.findAll(getRequestedFor(urlPathEqualTo("/secrets/HISTORY-KEY/versions"))
        .withHeader("Authorization", matching("Bearer .*")))).hasSize(3);
  }

  @Test
  void previousIsTheNewestServableVersionBeforeTheCurrentOne() {
    fiveVersions("PREVIOUS-KEY");

    assertThat(backend.fetch("PREVIOUS_KEY", VersionSelector.previous()).orElseThrow().reveal())
        .isEqualTo("value-3");
  }

  @Test
  void aVersionIsFetchedById() {
    List<FakeKeyVault.Version> stored = fiveVersions("BY-ID-KEY");

    var secret = backend.fetch("BY_ID_KEY", VersionSelector.id(stored.get(0).id)).orElseThrow();

    assertThat(secret.reveal()).isEqualTo("value-1");
    assertThat(secret.version().id()).isEqualTo(stored.get(0).id);
    assertThat(secret.version().createdAt()).contains(Instant.ofEpochSecond(stored.get(0).created));
  }

  @Test
  void aDisabledVersionIsNotServedAndTheErrorSaysItIsDisabled() {
    List<FakeKeyVault.Version> stored = fiveVersions("DISABLED-VERSION-KEY");

    assertThatThrownBy(() -> backend.fetch("DISABLED_VERSION_KEY", VersionSelector.id(stored.get(3).id)))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'DISABLED_VERSION_KEY'")
        .hasMessageContaining("is disabled")
        .hasMessageNotContaining("value-4");
  }

  @Test
  void anExpiredVersionIsNotServed() {
    List<FakeKeyVault.Version> stored = fiveVersions("EXPIRED-VERSION-KEY");

    assertThatThrownBy(() -> backend.fetch("EXPIRED_VERSION_KEY", VersionSelector.id(stored.get(1).id)))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("expired")
        .hasMessageNotContaining("value-2");
  }

  @Test
  void aStageSelectorIsRefusedBecauseKeyVaultHasNoStages() {
    vault.store.put("STAGED-KEY", "v");
    assertThatThrownBy(() -> backend.fetch("STAGED_KEY", VersionSelector.stage("AWSPREVIOUS")))
        .isInstanceOf(org.nexusreussite.secrets.UnsupportedCapabilityException.class)
        .hasMessageContaining("stages");
  }

  @Test
  void rollbackPutsTheOldValueAsANewVersionTaggedWithTheVersionItRestores() throws Exception {
    vault.store.put("ROLLBACK-KEY", "good-value").tags.put("owner", "payments");
    vault.store.put("ROLLBACK-KEY", "bad-value");
    List<SecretVersion> before = backend.versions("ROLLBACK_KEY");
    SecretVersion good = before.get(1);

    SecretVersion now = backend.rollback("ROLLBACK_KEY", good);

    List<FakeKeyVault.Version> stored = vault.store.versions("ROLLBACK-KEY");
    assertThat(stored).hasSize(3);
    assertThat(now.id()).isEqualTo(stored.get(2).id);
    assertThat(now.current()).isTrue();
    List<LoggedRequest> puts = vault.server.findAll(putRequestedFor(urlPathEqualTo("/secrets/ROLLBACK-KEY"))
        .withHeader("Authorization", matching("Bearer .*")));
    assertThat(puts).hasSize(1);
    JsonNode body = new ObjectMapper().readTree(puts.get(0).getBodyAsString());
    assertThat(body.path("value").asText()).isEqualTo("good-value");
    assertThat(body.path("tags").path(AzureSecretBackend.RESTORED_FROM_TAG).asText()).isEqualTo(good.id());
    assertThat(body.path("tags").path("owner").asText()).isEqualTo("payments");
    assertThat(backend.fetch("ROLLBACK_KEY", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("good-value");
    assertThat(backend.versions("ROLLBACK_KEY")).hasSize(3);
  }

  @Test
  void rollbackToAnUnknownVersionIsNotFound() {
    vault.store.put("ROLLBACK-MISSING-KEY", "value");
    assertThatThrownBy(() -> backend.rollback("ROLLBACK_MISSING_KEY",
        SecretVersion.of("0123456789abcdef0123456789abcdef")))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("0123456789abcdef0123456789abcdef");
  }

  @Test
  void theResolversBackendRollbackRestoresThePreviousValueForEveryReader() {
    vault.store.put("RESOLVER-ROLLBACK-KEY", "good-value");
    vault.store.put("RESOLVER-ROLLBACK-KEY", "bad-value");
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(Map.of()))
        .backend(backend, AzureBackendProvider.ORDINAL).build()) {
      assertThat(resolver.resolve("RESOLVER_ROLLBACK_KEY")).isEqualTo("bad-value");

      resolver.admin().rollback("RESOLVER_ROLLBACK_KEY", RollbackScope.BACKEND);

      assertThat(resolver.resolve("RESOLVER_ROLLBACK_KEY")).isEqualTo("good-value");
      assertThat(vault.store.versions("RESOLVER-ROLLBACK-KEY").get(2).tags)
          .containsKey(AzureSecretBackend.RESTORED_FROM_TAG);
    }
  }
}
