package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * A store that hangs delays only its own keys: with the default scheduler, refreshes run in one lane per
 * backend on workers apart from the timer threads, so other backends keep refreshing. Real threads and
 * short intervals: before the fix, two hung refreshes held both timer threads and every refresh stopped.
 */
class HungRefreshTest {

  /** Serves from a store; once {@link #hang} is set, every read blocks until the test ends. */
  static final class HangingBackend implements SecretBackend {
    final InMemorySecretBackend store = new InMemorySecretBackend("hung", EnumSet.noneOf(Capability.class),
        Clock.systemUTC());
    final CountDownLatch released = new CountDownLatch(1);
    volatile boolean hang;

    @Override
    public String id() {
      return "hung";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      block();
      return store.fetch(key, version);
    }

    @Override
    public Map<String, Secret> fetchAll(Collection<String> keys) {
      block();
      return store.fetchAll(keys);
    }

    private void block() {
      if (hang) {
        try {
          released.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Test
  void twoHungRefreshesDoNotStopAnotherBackendsRefreshes() throws Exception {
    HangingBackend hung = new HangingBackend();
    hung.store.put("H1", "h1");
    hung.store.put("H2", "h2");
    InMemorySecretBackend ok = new InMemorySecretBackend("ok", EnumSet.noneOf(Capability.class),
        Clock.systemUTC());
    ok.put("K", "k");
    Duration interval = Duration.ofMillis(200);
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(hung, 100).backend(ok, 300).refreshInterval(interval).build()) {
      r.resolve("H1");
      Thread.sleep(150); // more than half an interval: H2 is refreshed in a batch of its own
      r.resolve("H2");
      r.resolve("K");
      hung.hang = true;
      Thread.sleep(500); // both H1 and H2 are now stuck in their store
      long before = ok.fetchAllCount() + ok.fetchCount();
      Thread.sleep(1_500);
      long after = ok.fetchAllCount() + ok.fetchCount();
      assertThat(after - before).as("refreshes of the other backend went on").isGreaterThanOrEqualTo(3);
    } finally {
      hung.released.countDown();
    }
  }
}
