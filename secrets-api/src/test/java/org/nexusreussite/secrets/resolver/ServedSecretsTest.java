package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** {@code onServe}: what log redaction needs to know, first serves included. */
class ServedSecretsTest {

  private final ResolverFixture f = new ResolverFixture();

  @Test
  void aFirstServeIsToldBeforeTheReadReturns() {
    InMemorySecretBackend mem = f.backend("mem");
    mem.put("A", "first-value");
    try (SecretResolver r = f.builder().backend(mem, 300).build()) {
      List<String> heard = new ArrayList<>();
      r.onServe(s -> heard.add(s.key() + "=" + s.value().reveal()));
      assertThat(heard).isEmpty();
      r.resolve("A");
      assertThat(heard).containsExactly("A=first-value");
      r.resolve("A"); // a hit tells nobody
      assertThat(heard).hasSize(1);
    }
  }

  @Test
  void valuesServedBeforeRegistrationAreReplayed() {
    InMemorySecretBackend mem = f.backend("mem");
    mem.put("A", "a-value");
    mem.put("B", "b-value");
    try (SecretResolver r = f.builder().backend(mem, 300).build()) {
      r.resolve("A");
      r.find("MISSING");
      List<String> heard = new ArrayList<>();
      r.onServe(s -> heard.add(s.key()));
      assertThat(heard).containsExactly("A");
    }
  }

  @Test
  void groupReadsAndRotationsAreTold() {
    InMemorySecretBackend mem = f.backend("mem");
    mem.put("U", "user-1");
    mem.put("P", "pass-1");
    try (SecretResolver r = f.builder().backend(mem, 300).build()) {
      List<String> heard = new ArrayList<>();
      r.onServe(s -> heard.add(s.key() + "=" + s.value().reveal()));
      r.group("U", "P");
      assertThat(heard).contains("U=user-1", "P=pass-1");
      mem.put("P", "pass-2");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).contains("P=pass-2");
    }
  }

  @Test
  void requiredKeysPrefetchedAtStartAreReplayed() {
    InMemorySecretBackend mem = f.backend("mem");
    mem.put("A", "a-value");
    mem.put("B", "b-value");
    try (SecretResolver r = f.builder().backend(mem, 300).require("A", "B").build()) {
      List<String> heard = new ArrayList<>();
      r.onServe(s -> heard.add(s.key()));
      assertThat(heard).containsExactlyInAnyOrder("A", "B");
    }
  }

  @Test
  void aClosedSubscriptionHearsNothing() {
    InMemorySecretBackend mem = f.backend("mem");
    mem.put("A", "a-value");
    try (SecretResolver r = f.builder().backend(mem, 300).build()) {
      List<String> heard = new ArrayList<>();
      Subscription s = r.onServe(x -> heard.add(x.key()));
      s.close();
      r.resolve("A");
      assertThat(heard).isEmpty();
    }
  }

  @Test
  void aThrowingListenerDoesNotFailTheRead() {
    InMemorySecretBackend mem = f.backend("mem");
    mem.put("A", "a-value");
    try (SecretResolver r = f.builder().backend(mem, 300).build()) {
      r.onServe(x -> {
        throw new IllegalStateException("boom");
      });
      assertThat(r.resolve("A")).isEqualTo("a-value");
    }
  }

  @Test
  void defaultIfPresentNeverBuildsTheDefault() {
    SecretResolver previous = Secrets.setDefault(null);
    try {
      assertThat(Secrets.defaultIfPresent()).isEmpty();
      InMemorySecretBackend mem = f.backend("mem");
      try (SecretResolver r = f.builder().backend(mem, 300).build()) {
        Secrets.setDefault(r);
        assertThat(Secrets.defaultIfPresent()).isEqualTo(Optional.of(r));
      }
    } finally {
      Secrets.setDefault(previous);
    }
  }
}
