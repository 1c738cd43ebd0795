package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.spi.VersionScope;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** Listeners fire on a change of the key: its value always, its version only where versions are per key. */
class RotationRuleTest {

  private final ResolverFixture f = new ResolverFixture();

  @Test
  void aPathWriteThatChangesOneFieldDoesNotFireForTheOther() {
    PathBackend vault = new PathBackend("vault", f.clock);
    vault.write(Map.of("A", "a1", "B", "b"));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<String> heard = new ArrayList<>();
      r.onRotation(rotation -> heard.add(rotation.key()));
      r.resolve("A");
      r.resolve("B");
      vault.write(Map.of("A", "a2", "B", "b")); // the path's version moves for both fields
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(r.secret("B").version().id()).isEqualTo("2");
      assertThat(heard).containsExactly("A");
    }
  }

  @Test
  void aNewVersionOfAKeyVersionedOnItsOwnFiresEvenWithTheSameValue() {
    InMemorySecretBackend aws = f.backend("aws").versionScope(VersionScope.KEY);
    aws.put("A", "same");
    try (SecretResolver r = f.builder().backend(aws, 300).build()) {
      List<SecretRotation> heard = new ArrayList<>();
      r.onRotation("A", heard::add);
      r.resolve("A");
      aws.put("A", "same");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).singleElement().satisfies(rotation ->
          assertThat(rotation.current().version().id()).isEqualTo("2"));
    }
  }

  @Test
  void aNewSourceVersionWithTheSameValueDoesNotFire() {
    InMemorySecretBackend k8s = f.backend("k8s").versionScope(VersionScope.SOURCE);
    k8s.put("A", "same");
    try (SecretResolver r = f.builder().backend(k8s, 300).build()) {
      List<SecretRotation> heard = new ArrayList<>();
      r.onRotation("A", heard::add);
      r.resolve("A");
      k8s.put("A", "same");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).isEmpty();
    }
  }
}
