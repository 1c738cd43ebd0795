package org.nexusreussite.secrets.vault;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/** The SPI contract against a real OpenBao, on a KV v2 path of its own per test. */
class VaultContractIT extends SecretBackendContractTest {
  private final OpenBaoServer bao = OpenBaoServer.shared();
  private String rel;

  @Override
  protected SecretBackend createBackend() {
    rel = "contract-" + UUID.randomUUID();
    ManualClock clock = new ManualClock();
    TestBackendContext ctx = TestBackendContext.of(VaultBackendProvider.ID, Map.of("VAULT_ADDR", bao.address(), "VAULT_TOKEN", bao.rootToken(),
        "VAULT_PATH", "secret/" + rel, "SECRETS_VAULT_RETRIES", "0")).withScheduler(new ManualScheduler(clock)).withClock(Clock.systemUTC());
    return new VaultBackendProvider(() -> Path.of("/nonexistent-home")).create(ctx);
  }

  @Override
  protected void store(String key, String value) {
    Bao.setFieldV2(bao, rel, key, value);
  }

  @Test
  void declaresVersionsRollbackListingAndWrite() {
    assertThat(capabilities()).containsExactlyInAnyOrder(Capability.VERSIONS, Capability.ROLLBACK,
        Capability.LISTING, Capability.WRITE);
  }
}
