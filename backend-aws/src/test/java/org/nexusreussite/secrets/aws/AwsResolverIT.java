package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;

/** The resolver over the AWS backend and a real moto server: rollback, rotation, batched refresh. */
class AwsResolverIT {
  private static final Duration REFRESH = Duration.ofMinutes(5);
  private static MotoSecrets moto;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @BeforeAll
  static void startMoto() {
    moto = new MotoSecrets(MotoServer.shared());
  }

  @AfterAll
  static void closeClient() {
    moto.close();
  }

  private SecretResolver resolver(SecretsConfig config, AwsBackendProvider provider) {
    return SecretResolver.builder().config(config).provider(provider).clock(clock).scheduler(scheduler)
        .refreshInterval(REFRESH).maxStale(Duration.ofHours(1)).build();
  }

  @Test
  void backendRollbackMakesTheOldValueCurrentForASecondIndependentResolver() {
    String prefix = "resolver-" + run + "/";
    moto.put(prefix + "DB_PASSWORD", "good-password");
    moto.put(prefix + "DB_PASSWORD", "bad-password");
    SecretsConfig config = moto.config("SECRETS_AWS_PREFIX", prefix);

    try (SecretResolver operator = resolver(config, new AwsBackendProvider())) {
      assertThat(operator.resolve("DB_PASSWORD")).isEqualTo("bad-password");

      Secret rolledBack = operator.admin().rollback("DB_PASSWORD", RollbackScope.BACKEND);

      assertThat(rolledBack.reveal()).isEqualTo("good-password");
      assertThat(operator.resolve("DB_PASSWORD")).isEqualTo("good-password");
      assertThat(operator.admin().pins()).isEmpty();
    }
    try (SecretResolver other = SecretResolver.builder().config(config).provider(new AwsBackendProvider())
        .build()) {
      assertThat(other.resolve("DB_PASSWORD")).isEqualTo("good-password");
      assertThat(other.secret("DB_PASSWORD").version().stages()).contains("AWSCURRENT");
      assertThat(other.secret("DB_PASSWORD", VersionSelector.previous()).reveal()).isEqualTo("bad-password");
    }
  }

  @Test
  void aRotatedValueIsPickedUpAfterTheRefreshIntervalAndTheListenerFiresOnce() {
    String id = "rotation-" + run;
    moto.putJson(id, Map.of("API_KEY", "v1", "OTHER", "unchanged"));
    List<SecretRotation> rotations = new CopyOnWriteArrayList<>();
    try (SecretResolver resolver = resolver(moto.config("SECRETS_AWS_SECRET_ID", id), new AwsBackendProvider())) {
      resolver.onRotation("API_KEY", rotations::add);
      assertThat(resolver.resolve("API_KEY")).isEqualTo("v1");
      String newVersion = moto.putJson(id, Map.of("API_KEY", "v2", "OTHER", "unchanged"));

      assertThat(resolver.resolve("API_KEY")).as("before the refresh interval").isEqualTo("v1");
      scheduler.advance(REFRESH.plusSeconds(1));

      assertThat(resolver.resolve("API_KEY")).isEqualTo("v2");
      assertThat(rotations).hasSize(1);
      assertThat(rotations.get(0).current().version().id()).isEqualTo(newVersion);

      scheduler.advance(REFRESH.plusSeconds(1));
      scheduler.advance(REFRESH.plusSeconds(1));
      assertThat(rotations).as("identical refreshes fire nothing").hasSize(1);
    }
  }

  @Test
  void aRefreshOfSeveralKeysOfOneJsonSecretCostsOneRequest() {
    String id = "refresh-" + run;
    moto.putJson(id, Map.of("A", "1", "B", "2", "C", "3"));
    MotoSecrets.RequestLog requests = new MotoSecrets.RequestLog();
    try (SecretResolver resolver = resolver(moto.config("SECRETS_AWS_SECRET_ID", id, "SECRETS_AWS_WARMUP", "false"),
        new AwsBackendProvider(List.of(requests)))) {
      resolver.resolve("A");
      resolver.resolve("B");
      resolver.resolve("C");
      requests.clear();

      scheduler.advance(REFRESH.plusSeconds(1));

      assertThat(requests.operations()).containsExactly("GetSecretValue");
      assertThat(resolver.resolve("C")).isEqualTo("3");
    }
  }
}
