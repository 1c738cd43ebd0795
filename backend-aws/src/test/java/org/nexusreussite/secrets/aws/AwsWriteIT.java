package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VerificationFailedException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/** Two-phase writes (AWSPENDING, verify, AWSCURRENT) against a real moto server. */
class AwsWriteIT {
  private static final String CANARY = "canary-aws-write-91b0";
  private static MotoSecrets moto;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private AwsSecretBackend backend;

  @BeforeAll
  static void startMoto() {
    moto = new MotoSecrets(MotoServer.shared());
  }

  @AfterAll
  static void closeClient() {
    moto.close();
  }

  @AfterEach
  void closeBackend() {
    if (backend != null) {
      backend.close();
    }
  }

  private AwsSecretBackend create(String... settings) {
    String[] all = new String[settings.length + 2];
    System.arraycopy(settings, 0, all, 0, settings.length);
    all[settings.length] = "SECRETS_AWS_WARMUP";
    all[settings.length + 1] = "false";
    backend = (AwsSecretBackend) new AwsBackendProvider().create(TestBackendContext.of(AwsSecretBackend.ID,
        moto.config(all)));
    return backend;
  }

  private String name(String what) {
    return "wr-" + run + "-" + what;
  }

  private List<String> stagesOf(String secretId, String versionId) {
    return moto.admin().listSecretVersionIds(r -> r.secretId(secretId).includeDeprecated(true)).versions().stream()
        .filter(v -> v.versionId().equals(versionId)).findFirst().map(SecretVersionsListEntry::versionStages)
        .orElse(List.of());
  }

  @Test
  void aWriteIsPromotedToCurrentAndTheOldVersionBecomesPrevious() {
    String id = name("app");
    String old = moto.putJson(id, Map.of("JWT_SECRET_KEY", "old", "DATABASE_URL", "postgres://db"));
    AwsSecretBackend b = create("SECRETS_AWS_SECRET_ID", id);

    SecretVersion v = b.write("JWT_SECRET_KEY", SecretValue.of(CANARY), WriteOptions.defaults());

    assertThat(stagesOf(id, v.id())).containsExactly("AWSCURRENT");
    assertThat(stagesOf(id, old)).containsExactly("AWSPREVIOUS");
    assertThat(b.fetch("JWT_SECRET_KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(CANARY);
    assertThat(b.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("postgres://db");
    assertThat(b.fetch("JWT_SECRET_KEY", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("old");
  }

  @Test
  void aJsonSecretKeepsItsOtherFieldsExactly() {
    String id = name("rds");
    moto.put(id, "{\"username\":\"app\",\"port\":5432,\"options\":{\"ssl\":true},\"password\":\"old\"}");
    AwsSecretBackend b = create("SECRETS_AWS_SECRET_ID", id);

    b.write("password", SecretValue.of(CANARY), WriteOptions.defaults());

    String text = moto.admin().getSecretValue(r -> r.secretId(id).versionStage("AWSCURRENT")).secretString();
    assertThat(text).isEqualTo("{\"username\":\"app\",\"port\":5432,\"options\":{\"ssl\":true},\"password\":\""
        + CANARY + "\"}");
  }

  @Test
  void aRefusedVerificationLeavesTheNewVersionUnpromoted() {
    String id = name("verify");
    String old = moto.put(id, "old");
    AwsSecretBackend b = create("SECRETS_AWS_PREFIX", "wr-" + run + "-");
    WriteOptions verify = WriteOptions.builder()
        .verifier((k, v) -> { throw new IllegalStateException("login refused for " + v.reveal()); }).build();

    assertThatThrownBy(() -> b.write("verify", SecretValue.of(CANARY), verify))
        .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
          assertThat(e.outcome()).isEqualTo(VerificationFailedException.Outcome.NOT_PROMOTED);
          assertThat(e.getMessage()).doesNotContain(CANARY).contains("not promoted");
          SecurityGuide.assertDocumented(e.getMessage());
        });

    assertThat(stagesOf(id, old)).containsExactly("AWSCURRENT");
    String refused = e2eVersions(id).stream().filter(v -> !v.equals(old)).findFirst().orElseThrow();
    assertThat(stagesOf(id, refused)).doesNotContain("AWSCURRENT", "AWSPENDING");
    assertThat(b.fetch("verify", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("old");
  }

  private List<String> e2eVersions(String id) {
    return moto.admin().listSecretVersionIds(r -> r.secretId(id).includeDeprecated(true)).versions().stream()
        .map(SecretVersionsListEntry::versionId).toList();
  }

  @Test
  void aWriterExpectingAnOlderVersionLoses() {
    String id = name("race");
    String first = moto.putJson(id, Map.of("K", "v1"));
    String second = moto.setField(id, "K", "someone-else");
    AwsSecretBackend b = create("SECRETS_AWS_SECRET_ID", id);

    assertThatThrownBy(() -> b.write("K", SecretValue.of(CANARY),
        WriteOptions.builder().expectedVersion(first).build()))
        .isInstanceOfSatisfying(WriteConflictException.class, e -> {
          assertThat(e.currentVersion()).contains(second);
          assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("someone-else");
          SecurityGuide.assertDocumented(e.getMessage());
        });
    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("someone-else");
  }

  @Test
  void aPerKeySecretIsCreatedOnlyWhenAsked() {
    AwsSecretBackend b = create("SECRETS_AWS_PREFIX", "wr-" + run + "-");
    assertThatThrownBy(() -> b.write("NEWKEY", SecretValue.of(CANARY), WriteOptions.defaults()))
        .hasMessageContaining("'NEWKEY' not found");
    b.write("NEWKEY", SecretValue.of(CANARY), WriteOptions.builder().createIfMissing(true).build());
    assertThat(b.fetch("NEWKEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(CANARY);
  }

  @Test
  void throughTheResolverTheNewValueIsServedAtOnce() {
    String id = name("resolver");
    moto.putJson(id, Map.of("K", "v1"));
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(create("SECRETS_AWS_SECRET_ID", id), 300).build()) {
      assertThat(r.resolve("K")).isEqualTo("v1");
      SecretWrite w = r.admin().write("K", SecretValue.of(CANARY), WriteOptions.defaults());
      assertThat(r.resolve("K")).isEqualTo(CANARY);
      assertThat(r.secret("K").version().id()).isEqualTo(w.current().id());
      backend = null; // closed by the resolver
    }
  }

  @Test
  void aWriterThatPromotesWhileOursIsPendingWins() {
    String id = name("pending-race");
    moto.putJson(id, Map.of("K", "v1"));
    AwsSecretBackend b = create("SECRETS_AWS_SECRET_ID", id);
    String[] theirs = new String[1];
    // the verifier runs while our version is AWSPENDING: another writer promotes its own version meanwhile
    WriteOptions racing = WriteOptions.builder()
        .verifier((k, v) -> theirs[0] = moto.setField(id, "K", "someone-else")).build();

    assertThatThrownBy(() -> b.write("K", SecretValue.of(CANARY), racing))
        .isInstanceOfSatisfying(WriteConflictException.class, e -> {
          assertThat(e.currentVersion()).contains(theirs[0]);
          assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("someone-else");
        });
    assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("someone-else");
    assertThat(moto.admin().listSecretVersionIds(r -> r.secretId(id).includeDeprecated(true)).versions())
        .allSatisfy(v -> assertThat(v.versionStages()).doesNotContain("AWSPENDING"));
  }
}
