package org.nexusreussite.secrets.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;

/** Writes through the Azure client against the HTTPS Key Vault fake: new version, content type and tags kept. */
class AzureWriteIT {
  private static final String CANARY = "canary-azure-write-2e7a";
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
    backend = AzureSecretBackend.create(vault.options().build());
  }

  @Test
  void aWriteSetsANewVersionKeepingContentTypeAndTags() throws Exception {
    FakeKeyVault.Version old = vault.store.put("JWT-SECRET-KEY", "old");
    old.contentType = "text/plain";
    old.tags.put("owner", "payments");
    old.tags.put(AzureSecretBackend.RESTORED_FROM_TAG, "abc");

    SecretVersion v = backend.write("JWT_SECRET_KEY", SecretValue.of(CANARY), WriteOptions.defaults());

    List<FakeKeyVault.Version> stored = vault.store.versions("JWT-SECRET-KEY");
    assertThat(stored).hasSize(2);
    assertThat(v.id()).isEqualTo(stored.get(1).id);
    assertThat(v.current()).isTrue();
    List<LoggedRequest> puts = vault.server.findAll(putRequestedFor(urlPathEqualTo("/secrets/JWT-SECRET-KEY"))
        .withHeader("Authorization", matching("Bearer .*")));
    assertThat(puts).hasSize(1);
    JsonNode body = new ObjectMapper().readTree(puts.get(0).getBodyAsString());
    assertThat(body.path("contentType").asText()).isEqualTo("text/plain");
    assertThat(body.path("tags").path("owner").asText()).isEqualTo("payments");
    assertThat(body.path("tags").has(AzureSecretBackend.RESTORED_FROM_TAG)).isFalse();
    assertThat(backend.fetch("JWT_SECRET_KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(CANARY);
    assertThat(backend.fetch("JWT_SECRET_KEY", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("old");
  }

  @Test
  void aWriterExpectingAnOlderVersionLosesAndWritesNothing() {
    FakeKeyVault.Version first = vault.store.put("RACE-KEY", "v1");
    FakeKeyVault.Version second = vault.store.put("RACE-KEY", "someone-else");

    assertThatThrownBy(() -> backend.write("RACE_KEY", SecretValue.of(CANARY),
        WriteOptions.builder().expectedVersion(first.id).build()))
        .isInstanceOfSatisfying(WriteConflictException.class, e -> {
          assertThat(e.currentVersion()).contains(second.id);
          assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("someone-else");
          SecurityGuide.assertDocumented(e.getMessage());
        });
    assertThat(vault.store.versions("RACE-KEY")).hasSize(2);
  }

  @Test
  void aSecretIsCreatedOnlyWhenAsked() {
    assertThatThrownBy(() -> backend.write("NEW_KEY", SecretValue.of(CANARY), WriteOptions.defaults()))
        .isInstanceOf(SecretNotFoundException.class);
    backend.write("NEW_KEY", SecretValue.of(CANARY), WriteOptions.builder().createIfMissing(true).build());
    assertThat(vault.store.versions("NEW-KEY")).hasSize(1);
  }

  @Test
  void throughTheResolverTheNewValueIsServedAtOnce() {
    vault.store.put("RESOLVER-WRITE-KEY", "v1");
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty()).backend(backend, 300).build()) {
      assertThat(r.resolve("RESOLVER_WRITE_KEY")).isEqualTo("v1");
      r.admin().write("RESOLVER_WRITE_KEY", SecretValue.of(CANARY), WriteOptions.defaults());
      assertThat(r.resolve("RESOLVER_WRITE_KEY")).isEqualTo(CANARY);
    }
  }

  @Test
  void aWriteThatLandedIsReportedWrittenEvenWhenTheFollowUpListingFails() {
    vault.store.put("LIST-FAILS", "old");
    // the identity may set but not list: the conflict check after the PUT cannot run
    StubMapping denied = vault.server.stubFor(get(urlPathEqualTo("/secrets/LIST-FAILS/versions")).atPriority(1)
        .withHeader("Authorization", matching("Bearer .*")).willReturn(aResponse().withStatus(403)
            .withHeader("Content-Type", "application/json").withBody(FakeKeyVault.errorBody("Forbidden",
                "The user does not have secrets list permission", "AccessDenied"))));
    try {
      SecretVersion v = backend.write("LIST_FAILS", SecretValue.of(CANARY), WriteOptions.defaults());

      List<FakeKeyVault.Version> stored = vault.store.versions("LIST-FAILS");
      assertThat(stored).hasSize(2);
      assertThat(stored.get(1).value).isEqualTo(CANARY);
      assertThat(v.id()).isEqualTo(stored.get(1).id);
    } finally {
      vault.server.removeStub(denied);
    }
  }
}
