package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** health() merges what reads saw with what the backend reports; probeHealth() asks the store. */
class HealthTest {

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend k8s = f.backend("k8s");

  @Test
  void aBackendReportedStateShowsAfterTheFirstReadToo() {
    k8s.put("KEY", "v");
    try (SecretResolver r = f.builder().backend(k8s, 300).build()) {
      r.resolve("KEY");
      k8s.reportState(BackendHealth.of("k8s", BackendHealth.Status.DEGRADED, "watch lost", null, null, null));
      BackendHealth h = r.inspect().health().get(0);
      assertThat(h.status()).isEqualTo(BackendHealth.Status.DEGRADED);
      assertThat(h.detail()).contains("answering").contains("watch lost");
    }
  }

  @Test
  void healthAsksNoStoreAndProbeHealthDoes() {
    k8s.put("KEY", "v");
    try (SecretResolver r = f.builder().backend(k8s, 300).build()) {
      r.resolve("KEY");
      k8s.failNext(1);
      assertThat(r.inspect().health().get(0).status()).as("the last read answered")
          .isEqualTo(BackendHealth.Status.UP);
      assertThat(k8s.healthProbes()).isZero();
      assertThat(r.inspect().probeHealth().get(0).status()).as("a live probe sees the store down")
          .isEqualTo(BackendHealth.Status.DOWN);
      assertThat(k8s.healthProbes()).isEqualTo(1);
    }
  }
}
