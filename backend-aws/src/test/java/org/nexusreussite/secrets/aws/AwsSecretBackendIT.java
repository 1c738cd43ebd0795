package org.nexusreussite.secrets.aws;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;

/** The AWS backend against a real moto server: layouts, request counts, versions, bad content. */
class AwsSecretBackendIT {
  private static MotoSecrets moto;
  private final MotoSecrets.RequestLog requests = new MotoSecrets.RequestLog();
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private SecretBackend backend;

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

  private SecretBackend create(String... settings) {
    String[] all = new String[settings.length + 2];
    System.arraycopy(settings, 0, all, 0, settings.length);
    all[settings.length] = "SECRETS_AWS_WARMUP";
    all[settings.length + 1] = "false";
    backend = new AwsBackendProvider(List.of(requests)).create(TestBackendContext.of(AwsSecretBackend.ID, moto.config(all)));
    return backend;
  }

  private String name(String what) {
    return "it-" + run + "-" + what;
  }

  // ---------------------------------------------------------------- JSON layout

  @Test
  void severalKeysOfAJsonSecretComeFromOneRequest() {
    String id = name("app");
    moto.putJson(id, Map.of("DATABASE_URL", "postgres://db", "JWT_SECRET_KEY", "jwt", "API_TOKEN", "tok"));
    create("SECRETS_AWS_SECRET_ID", id);

    Map<String, Secret> found = backend.fetchAll(List.of("DATABASE_URL", "JWT_SECRET_KEY", "API_TOKEN", "ABSENT"));

    assertThat(found).containsOnlyKeys("DATABASE_URL", "JWT_SECRET_KEY", "API_TOKEN");
    assertThat(found.get("DATABASE_URL").reveal()).isEqualTo("postgres://db");
    assertThat(found.get("API_TOKEN").reveal()).isEqualTo("tok");
    assertThat(requests.operations()).containsExactly("GetSecretValue");
  }

  @Test
  void severalJsonSecretsAreReadWithOneBatchRequestAndEarlierIdsWin() {
    String first = name("first");
    String second = name("second");
    moto.putJson(first, Map.of("SHARED", "from-first", "ONLY_FIRST", "1"));
    moto.putJson(second, Map.of("SHARED", "from-second", "ONLY_SECOND", "2"));
    create("SECRETS_AWS_SECRET_ID", first + ", " + second);

    Map<String, Secret> found = backend.fetchAll(List.of("SHARED", "ONLY_FIRST", "ONLY_SECOND"));

    assertThat(found.get("SHARED").reveal()).isEqualTo("from-first");
    assertThat(found.get("ONLY_FIRST").reveal()).isEqualTo("1");
    assertThat(found.get("ONLY_SECOND").reveal()).isEqualTo("2");
    assertThat(requests.operations()).containsExactly("BatchGetSecretValue");
    assertThat(backend.fetch("SHARED", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("from-first");
    assertThat(backend.fetch("ONLY_SECOND", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("2");
  }

  @Test
  void warmUpReadsEveryConfiguredSecretWithOneBatchRequest() {
    String first = name("warm-a");
    String second = name("warm-b");
    moto.putJson(first, Map.of("A", "1"));
    moto.putJson(second, Map.of("B", "2"));

    backend = new AwsBackendProvider(List.of(requests))
        .create(TestBackendContext.of(AwsSecretBackend.ID, moto.config("SECRETS_AWS_SECRET_ID", first + "," + second)));

    assertThat(requests.operations()).containsExactly("BatchGetSecretValue");
  }

  @Test
  void batchReadsServeTheRolledBackVersion() {
    String first = name("rb-a");
    String second = name("rb-b");
    moto.putJson(first, Map.of("KEY", "good"));
    moto.putJson(first, Map.of("KEY", "bad"));
    moto.putJson(second, Map.of("OTHER", "x"));
    create("SECRETS_AWS_SECRET_ID", first + "," + second);
    List<SecretVersion> versions = backend.versions("KEY");

    backend.rollback("KEY", versions.get(1));

    assertThat(backend.fetchAll(List.of("KEY", "OTHER")).get("KEY").reveal()).isEqualTo("good");
  }

  @Test
  void jsonFieldsKeepTheirTypesAsText() {
    String id = name("rds");
    moto.put(id, "{\"username\":\"admin\",\"port\":5432,\"ssl\":true,\"replica\":null,"
        + "\"options\":{\"a\":[1,2]},\"note\":\"line\\nbreak \\u00e9\"}");
    create("SECRETS_AWS_SECRET_ID", id);

    Map<String, Secret> found = backend.fetchAll(List.of("username", "port", "ssl", "replica", "options", "note"));

    assertThat(found).doesNotContainKey("replica");
    assertThat(found.get("port").reveal()).isEqualTo("5432");
    assertThat(found.get("ssl").reveal()).isEqualTo("true");
    assertThat(found.get("options").reveal()).isEqualTo("{\"a\":[1,2]}");
    assertThat(found.get("note").reveal()).isEqualTo("line\nbreak \u00e9");
  }

  @Test
  void versionsOfAJsonKeyAreThoseOfItsSecret() {
    String id = name("json-versions");
    moto.putJson(id, Map.of("KEY", "one"));
    moto.putJson(id, Map.of("KEY", "two"));
    create("SECRETS_AWS_SECRET_ID", id);

    assertThat(backend.versions("KEY")).hasSize(2);
    assertThat(backend.fetch("KEY", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("one");
    assertThat(backend.versions("NOT_A_FIELD")).isEmpty();
  }

  // ---------------------------------------------------------------- per-key layout

  @Test
  void perKeySecretsAreReadAsStringOrBinary() {
    String prefix = name("keys") + "/";
    moto.put(prefix + "DATABASE_URL", "postgres://string");
    moto.putBinary(prefix + "TLS_KEY", "binary-\u00e9-value".getBytes(StandardCharsets.UTF_8));
    create("SECRETS_AWS_PREFIX", prefix);

    assertThat(backend.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("postgres://string");
    assertThat(backend.fetch("TLS_KEY", VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo("binary-\u00e9-value");
    assertThat(backend.fetch("ABSENT", VersionSelector.latest())).isEmpty();
  }

  @Test
  void perKeySecretsAreReadWithOneBatchRequest() {
    String prefix = name("batch") + "/";
    moto.put(prefix + "A", "1");
    moto.put(prefix + "B", "2");
    create("SECRETS_AWS_PREFIX", prefix);

    Map<String, Secret> found = backend.fetchAll(List.of("A", "B", "ABSENT"));

    assertThat(found).containsOnlyKeys("A", "B");
    assertThat(requests.operations()).containsExactly("BatchGetSecretValue");
  }

  @Test
  void binaryThatIsNotUtf8IsAnInvalidSourceNamingTheSecret() {
    String prefix = name("bin") + "/";
    moto.putBinary(prefix + "RAW", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
    create("SECRETS_AWS_PREFIX", prefix);

    assertThatThrownBy(() -> backend.fetch("RAW", VersionSelector.latest()))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessageContaining(prefix + "RAW")
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void listingShowsPerKeySecretsUnderThePrefixAndJsonFields() {
    String prefix = name("list") + "/";
    String id = name("list-json");
    moto.put(prefix + "ONE", "1");
    moto.put(prefix + "TWO", "2");
    moto.put(name("listx") + "/THREE", "3");
    moto.putJson(id, Map.of("FIELD", "f"));
    create("SECRETS_AWS_PREFIX", prefix, "SECRETS_AWS_SECRET_ID", id);

    assertThat(backend.keys()).containsExactlyInAnyOrder("ONE", "TWO", "FIELD");
  }

  // ---------------------------------------------------------------- versions and stages

  @Test
  void versionsAreNewestFirstWithStagesAndReadableByIdOrStage() {
    String prefix = name("ver") + "/";
    String v1 = moto.put(prefix + "KEY", "one");
    String v2 = moto.put(prefix + "KEY", "two");
    String v3 = moto.put(prefix + "KEY", "three");
    create("SECRETS_AWS_PREFIX", prefix);

    List<SecretVersion> versions = backend.versions("KEY");

    assertThat(versions).extracting(SecretVersion::id).containsExactly(v3, v2, v1);
    assertThat(versions.get(0).stages()).containsExactly("AWSCURRENT");
    assertThat(versions.get(0).current()).isTrue();
    assertThat(versions.get(1).stages()).containsExactly("AWSPREVIOUS");
    assertThat(versions.get(2).stages()).isEmpty();
    assertThat(versions).allSatisfy(v -> assertThat(v.createdAt()).isPresent());
    assertThat(backend.fetch("KEY", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("two");
    assertThat(backend.fetch("KEY", VersionSelector.stage("AWSPREVIOUS")).orElseThrow().reveal()).isEqualTo("two");
    assertThat(backend.fetch("KEY", VersionSelector.stage("AWSCURRENT")).orElseThrow().reveal()).isEqualTo("three");
    Secret first = backend.fetch("KEY", VersionSelector.id(v1)).orElseThrow();
    assertThat(first.reveal()).isEqualTo("one");
    assertThat(first.version().current()).isFalse();
    assertThat(backend.fetch("KEY", VersionSelector.stage("NO_SUCH_STAGE"))).isEmpty();
  }

  @Test
  void aPendingVersionIsReadableByItsStageWhileTheCurrentOneIsServed() {
    String prefix = name("pending") + "/";
    moto.put(prefix + "KEY", "current");
    moto.admin().putSecretValue(r -> r.secretId(prefix + "KEY").secretString("pending")
        .versionStages("AWSPENDING"));
    create("SECRETS_AWS_PREFIX", prefix);

    assertThat(backend.fetch("KEY", VersionSelector.stage("AWSPENDING")).orElseThrow().reveal())
        .isEqualTo("pending");
    assertThat(backend.fetch("KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("current");
  }

  @Test
  void rollbackMovesAwsCurrentAndAwsPrevious() {
    String prefix = name("rollback") + "/";
    String good = moto.put(prefix + "KEY", "good");
    String bad = moto.put(prefix + "KEY", "bad");
    create("SECRETS_AWS_PREFIX", prefix);

    SecretVersion now = backend.rollback("KEY", SecretVersion.of(good));

    assertThat(now.id()).isEqualTo(good);
    assertThat(now.stages()).contains("AWSCURRENT");
    assertThat(backend.fetch("KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("good");
    assertThat(backend.fetch("KEY", VersionSelector.previous()).orElseThrow().version().id()).isEqualTo(bad);
    assertThatThrownBy(() -> backend.rollback("KEY", SecretVersion.of(UUID.randomUUID().toString())))
        .isInstanceOf(SecretNotFoundException.class);
  }

  // ---------------------------------------------------------------- bad content and absent secrets

  @Test
  void aNonJsonStringInTheJsonLayoutIsAnInvalidSourceNamingTheSecretNotTheContent() {
    String id = name("not-json");
    String content = "canary-" + UUID.randomUUID();
    moto.put(id, content);
    create("SECRETS_AWS_SECRET_ID", id);

    assertThatThrownBy(() -> backend.fetch("ANY", VersionSelector.latest()))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessageContaining("secret '" + id + "'")
        .hasMessageContaining("JSON object")
        .hasMessageNotContaining(content)
        .hasMessageNotContaining("canary");
  }

  @Test
  void jsonThatIsNotAnObjectIsAnInvalidSourceToo() {
    String id = name("array");
    moto.put(id, "[\"canary-array-value\"]");
    create("SECRETS_AWS_SECRET_ID", id);

    assertThatThrownBy(() -> backend.fetchAll(List.of("A", "B")))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessageContaining(id)
        .hasMessageNotContaining("canary");
  }

  @Test
  void anInvalidJsonSecretFailsTheResolverWithoutTheValue() {
    String id = name("resolver-not-json");
    moto.put(id, "{\"KEY\": \"canary-truncated");
    try (SecretResolver resolver = SecretResolver.builder()
        .config(moto.config("SECRETS_AWS_SECRET_ID", id, "SECRETS_AWS_WARMUP", "false"))
        .provider(new AwsBackendProvider()).build()) {
      assertThatThrownBy(() -> resolver.resolve("KEY"))
          .isInstanceOf(InvalidSecretSourceException.class)
          .hasMessageContaining(id)
          .hasMessageNotContaining("canary");
    }
  }

  @Test
  void anUnknownSecretIdIsNotFound() {
    String id = name("never-created");
    create("SECRETS_AWS_SECRET_ID", id);

    assertThat(backend.fetch("KEY", VersionSelector.latest())).isEmpty();
    assertThat(backend.fetchAll(List.of("KEY", "OTHER"))).isEmpty();
    assertThat(backend.versions("KEY")).isEmpty();
    try (SecretResolver resolver = SecretResolver.builder()
        .config(moto.config("SECRETS_AWS_SECRET_ID", id, "SECRETS_AWS_WARMUP", "false"))
        .provider(new AwsBackendProvider()).build()) {
      assertThatThrownBy(() -> resolver.resolve("KEY"))
          .isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("aws[" + id + "]");
    }
  }

  @Test
  void aDeletedSecretIsNotFoundInEitherLayout() {
    String id = name("deleted-json");
    String prefix = name("deleted") + "/";
    moto.putJson(id, Map.of("KEY", "gone"));
    moto.put(prefix + "OTHER", "gone too");
    moto.admin().deleteSecret(r -> r.secretId(id).recoveryWindowInDays(7L));
    moto.admin().deleteSecret(r -> r.secretId(prefix + "OTHER").forceDeleteWithoutRecovery(true));
    create("SECRETS_AWS_SECRET_ID", id, "SECRETS_AWS_PREFIX", prefix);

    assertThat(backend.fetch("KEY", VersionSelector.latest())).isEmpty();
    assertThat(backend.fetch("OTHER", VersionSelector.latest())).isEmpty();
    assertThat(backend.fetchAll(List.of("KEY", "OTHER"))).isEmpty();
    assertThat(backend.versions("OTHER")).isEmpty();
  }

  @Test
  void healthIsUpWhenMotoAnswers() {
    create("SECRETS_AWS_PREFIX", name("health") + "/");

    BackendHealth health = backend.health();

    assertThat(health.status()).isEqualTo(BackendHealth.Status.UP);
    assertThat(health.detail()).contains("region us-east-1");
  }
}
