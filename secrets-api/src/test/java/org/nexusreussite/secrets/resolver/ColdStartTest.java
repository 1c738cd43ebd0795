package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** A cold start costs one request per source: keys read along with the first are not asked for again. */
class ColdStartTest {

  private final ResolverFixture f = new ResolverFixture();

  private static Map<String, String> eightKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 1; i <= 8; i++) {
      m.put("KEY_" + i, "value-" + i);
    }
    return m;
  }

  @Test
  void eightKeysOnOnePathCostOneRequestAtStart() {
    PathBackend vault = new PathBackend("vault", f.clock);
    vault.write(eightKeys());
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      for (int i = 1; i <= 8; i++) {
        assertThat(r.resolve("KEY_" + i)).isEqualTo("value-" + i);
      }
      assertThat(vault.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void aSiblingReadFromALowerBackendDoesNotShadowAHigherBackendThatHoldsTheKey() {
    PathBackend vault = new PathBackend("vault", f.clock);
    vault.write(eightKeys());
    InMemorySecretBackend env = f.backend("env");
    env.put("KEY_3", "from-env");
    try (SecretResolver r = f.builder().backend(env, 400).backend(vault, 300).build()) {
      assertThat(r.resolve("KEY_1")).isEqualTo("value-1");
      assertThat(r.resolve("KEY_3")).as("the higher backend still wins").isEqualTo("from-env");
      assertThat(r.resolve("KEY_2")).isEqualTo("value-2");
      assertThat(vault.requests.get()).isEqualTo(1);
    }
  }

  @Test
  void siblingsExpireSoALateFirstReadAsksTheStore() {
    PathBackend vault = new PathBackend("vault", f.clock);
    vault.write(eightKeys());
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("KEY_1");
      vault.write(Map.of("KEY_1", "value-1", "KEY_2", "changed"));
      f.clock.advance(java.time.Duration.ofMinutes(1));
      assertThat(r.resolve("KEY_2")).as("a sibling is only kept for a short time").isEqualTo("changed");
      assertThat(vault.requests.get()).isEqualTo(2);
    }
  }
}
