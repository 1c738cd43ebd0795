package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * A refresh that read the store before a write and finishes after it must not bring the old value back: the
 * write's own read is newer, so the older read is dropped (before the fix the cache served v1 again for a
 * refresh interval and listeners saw v1 -> v2 -> v1 -> v2).
 */
class StaleRefreshAfterWriteTest {

  /** The next fetchAll after {@link #holdNextRead} reads the store, then waits before answering. */
  static final class SlowAnswerBackend implements SecretBackend {
    final InMemorySecretBackend store = new InMemorySecretBackend("slow",
        EnumSet.of(Capability.WRITE, Capability.VERSIONS), Clock.systemUTC());
    final AtomicBoolean holdNext = new AtomicBoolean();
    final CountDownLatch readDone = new CountDownLatch(1);
    final CountDownLatch answer = new CountDownLatch(1);

    void holdNextRead() {
      holdNext.set(true);
    }

    @Override
    public String id() {
      return "slow";
    }

    @Override
    public Set<Capability> capabilities() {
      return store.capabilities();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      return store.fetch(key, version);
    }

    @Override
    public Map<String, Secret> fetchAll(Collection<String> keys) {
      Map<String, Secret> read = store.fetchAll(keys);
      if (holdNext.compareAndSet(true, false)) {
        readDone.countDown();
        try {
          answer.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return read;
    }

    @Override
    public List<SecretVersion> versions(String key) {
      return store.versions(key);
    }

    @Override
    public SecretVersion write(String key, SecretValue value, WriteOptions options) {
      return store.write(key, value, options);
    }
  }

  @Test
  void aRefreshReadBeforeAWriteDoesNotUndoIt() throws Exception {
    SlowAnswerBackend backend = new SlowAnswerBackend();
    backend.store.put("K", "value-one");
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty()).backend(backend, 300).build()) {
      List<String> changes = new CopyOnWriteArrayList<>();
      r.onRotation("K", rotation -> changes.add(rotation.previous().map(s -> s.value().reveal()).orElse("-")
          + " -> " + rotation.current().value().reveal()));
      assertThat(r.resolve("K")).isEqualTo("value-one");

      backend.holdNextRead();
      CompletableFuture<Void> refresh = r.admin().refresh();
      assertThat(backend.readDone.await(10, TimeUnit.SECONDS)).as("the refresh read value-one").isTrue();
      r.admin().write("K", SecretValue.of("value-two"), WriteOptions.defaults());
      assertThat(r.resolve("K")).isEqualTo("value-two");
      backend.answer.countDown();
      refresh.get(10, TimeUnit.SECONDS);

      assertThat(r.resolve("K")).as("the older read is dropped").isEqualTo("value-two");
      assertThat(changes).containsExactly("value-one -> value-two");
    }
  }
}
