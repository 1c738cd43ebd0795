package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/** The resolver over the Vault backend: rotation, backend rollback and an outage of a real OpenBao. */
class VaultResolverIT {
  @TempDir
  Path home;

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final String rel = "resolver-" + UUID.randomUUID();

  private SecretResolver resolver(OpenBaoServer bao) {
    return SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", bao.address(), "VAULT_TOKEN", bao.rootToken(),
            "VAULT_PATH", "secret/" + rel, "SECRETS_VAULT_RETRIES", "0")))
        .provider(new VaultBackendProvider(() -> home))
        .clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofMinutes(1)).maxStale(Duration.ofMinutes(10))
        .build();
  }

  private static BackendHealth.Status vaultHealth(SecretResolver resolver) {
    return resolver.inspect().health().stream().filter(h -> h.backendId().equals("vault")).findFirst().orElseThrow()
        .status();
  }

  @Test
  void rotationIsServedAfterRefreshAndTheListenerFiresOnce() {
    OpenBaoServer bao = OpenBaoServer.shared();
    Bao.putV2(bao, rel, Map.of("DATABASE_URL", "postgres://one"));
    try (SecretResolver resolver = resolver(bao)) {
      assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://one");
      List<SecretRotation> seen = new CopyOnWriteArrayList<>();
      resolver.onRotation("DATABASE_URL", seen::add);

      Bao.putV2(bao, rel, Map.of("DATABASE_URL", "postgres://two"));
      scheduler.advance(Duration.ofMinutes(1));
      scheduler.advance(Duration.ofMinutes(1));

      assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://two");
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).current().version().id()).isEqualTo("2");
      assertThat(seen.get(0).previous().orElseThrow().version().id()).isEqualTo("1");
    }
  }

  @Test
  void backendRollbackThroughTheResolverMakesTheOldDataCurrent() {
    OpenBaoServer bao = OpenBaoServer.shared();
    Bao.putV2(bao, rel, Map.of("API_KEY", "good"));
    Bao.putV2(bao, rel, Map.of("API_KEY", "bad"));
    try (SecretResolver resolver = resolver(bao)) {
      assertThat(resolver.resolve("API_KEY")).isEqualTo("bad");

      resolver.admin().rollback("API_KEY", RollbackScope.BACKEND);

      assertThat(resolver.resolve("API_KEY")).isEqualTo("good");
      assertThat(resolver.admin().versions("API_KEY").get(0).id()).isEqualTo("3");
    }
  }

  @Test
  void strictProfileRefusesTheHttpAddressOfARealServer() {
    OpenBaoServer bao = OpenBaoServer.shared();
    assertThatThrownBy(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", bao.address(), "VAULT_TOKEN", bao.rootToken(),
            "SECRETS_PROFILE", "production")))
        .provider(new VaultBackendProvider(() -> home)).clock(clock).scheduler(scheduler).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("Vault address must use HTTPS in production")
        .hasMessageNotContaining(bao.rootToken());
  }

  @Test
  void outageServesStaleValuesUntilMaxStaleThenFailsAndRecoversByItself() {
    OpenBaoServer bao = new OpenBaoServer();
    try {
      bao.start();
      Bao.putV2(bao, rel, Map.of("JWT_SECRET_KEY", "before-outage"));
      try (SecretResolver resolver = resolver(bao)) {
        assertThat(resolver.resolve("JWT_SECRET_KEY")).isEqualTo("before-outage");
        assertThat(vaultHealth(resolver)).isEqualTo(BackendHealth.Status.UP);

        bao.close();
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(resolver.resolve("JWT_SECRET_KEY")).isEqualTo("before-outage");
        assertThat(vaultHealth(resolver)).isEqualTo(BackendHealth.Status.DEGRADED);

        scheduler.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> resolver.resolve("JWT_SECRET_KEY"))
            .isInstanceOf(BackendUnavailableException.class)
            .hasMessageContaining("Verify network connectivity to Vault at " + bao.address());
        assertThat(vaultHealth(resolver)).isEqualTo(BackendHealth.Status.DOWN);

        bao.start(); // same port and root token, empty storage
        Bao.putV2(bao, rel, Map.of("JWT_SECRET_KEY", "after-outage"));
        scheduler.advance(Duration.ofSeconds(30));

        assertThat(resolver.resolve("JWT_SECRET_KEY")).isEqualTo("after-outage");
        assertThat(vaultHealth(resolver)).isEqualTo(BackendHealth.Status.UP);
      }
    } finally {
      bao.close();
    }
  }
}
