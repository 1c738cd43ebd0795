package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * Everything the resolver keeps per key is bounded by {@code maximumSize}, found or not, scheduled work
 * included: an application that builds key names from request input cannot grow it.
 */
class BoundedStateTest {

  /** Holds nothing and keeps no per-key state of its own, so only the resolver's state is measured. */
  static final class EmptyBackend implements SecretBackend {
    @Override
    public String id() {
      return "empty";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      return Optional.empty();
    }

    @Override
    public Map<String, Secret> fetchAll(Collection<String> keys) {
      return Map.of();
    }
  }

  private final ResolverFixture f = new ResolverFixture();

  @Test
  void distinctMissesKeepAtMostMaximumSizeScheduledTasks() throws Exception {
    int bound = 1_000;
    try (SecretResolver r = f.builder().backend(new EmptyBackend(), 300).maximumSize(bound).build()) {
      for (int i = 0; i < 200_000; i++) {
        assertThat(r.find("MISSING_" + i)).isEmpty();
      }
      // Caffeine evicts in its maintenance cycle, which may run a moment after the last write
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (f.scheduler.pending() > bound && System.nanoTime() < deadline) {
        r.find("MISSING_0"); // a read drives Caffeine's pending maintenance
        Thread.sleep(10);
      }
      assertThat(f.scheduler.pending()).as("one expiry task per remembered miss, evicted ones cancelled")
          .isLessThanOrEqualTo(bound);
    }
  }
}
