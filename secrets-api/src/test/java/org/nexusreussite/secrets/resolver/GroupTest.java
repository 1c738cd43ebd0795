package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Subscription;

/** Several keys read as one consistent set, and group listeners told once per change. */
class GroupTest {

  private final ResolverFixture f = new ResolverFixture();
  private final PathBackend vault = new PathBackend("vault", f.clock);

  private static Map<String, String> generation(int n) {
    return Map.of("DB_USER", "user-" + n, "DB_PASSWORD", "password-" + n);
  }

  @Test
  void aGroupIsNeverTheUserOfOneGenerationWithThePasswordOfTheNext() {
    vault.write(generation(1));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("DB_USER");
      r.resolve("DB_PASSWORD");
      vault.write(generation(2));
      r.admin().refresh("DB_USER"); // the cache now holds user-2 next to password-1
      assertThat(r.resolve("DB_PASSWORD")).isEqualTo("password-1");

      SecretGroup db = r.group("DB_USER", "DB_PASSWORD");
      assertThat(db.get("DB_USER")).isEqualTo("user-2");
      assertThat(db.get("DB_PASSWORD")).as("read again together").isEqualTo("password-2");
      assertThat(db.keys()).containsExactly("DB_USER", "DB_PASSWORD");
      assertThat(db.toString()).doesNotContain("password-2");
    }
  }

  @Test
  void aConsistentCachedGroupCostsNoRequest() {
    vault.write(generation(1));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.group("DB_USER", "DB_PASSWORD");
      int before = vault.requests.get();
      r.group("DB_USER", "DB_PASSWORD");
      assertThat(vault.requests.get()).isEqualTo(before);
    }
  }

  @Test
  void concurrentGroupReadsNeverMixGenerations() throws Exception {
    vault.write(generation(0));
    ExecutorService writer = Executors.newSingleThreadExecutor();
    AtomicBoolean stop = new AtomicBoolean();
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      Future<?> swaps = writer.submit(() -> {
        for (int n = 1; !stop.get(); n++) {
          vault.write(generation(n));
          r.admin().refresh(n % 2 == 0 ? "DB_USER" : "DB_PASSWORD"); // splits the cached pair
        }
      });
      for (int i = 0; i < 20_000; i++) {
        SecretGroup g = r.group("DB_USER", "DB_PASSWORD");
        assertThat(g.get("DB_USER").substring(5)).isEqualTo(g.get("DB_PASSWORD").substring(9));
      }
      stop.set(true);
      swaps.get(10, TimeUnit.SECONDS);
    } finally {
      writer.shutdownNow();
    }
  }

  @Test
  void aGroupListenerFiresOncePerChangeWithAllNewValues() {
    vault.write(generation(1));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretGroup> heard = new ArrayList<>();
      Subscription s = r.onGroupRotation(List.of("DB_USER", "DB_PASSWORD"), heard::add);
      vault.write(generation(2));
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).singleElement().satisfies(g -> {
        assertThat(g.get("DB_USER")).isEqualTo("user-2");
        assertThat(g.get("DB_PASSWORD")).isEqualTo("password-2");
      });
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).as("an identical refresh is no change").hasSize(1);
      s.close();
      vault.write(generation(3));
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).as("closed").hasSize(1);
    }
  }

  @Test
  void aGroupWithAMissingKeyNamesIt() {
    vault.write(generation(1));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.group("DB_USER", "DB_HOST")).isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("DB_HOST");
      assertThatThrownBy(() -> r.group()).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
