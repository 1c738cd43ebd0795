package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;
import static org.nexusreussite.secrets.jwt.RingFixture.hmacKey;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretAdmin;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretGroupListener;
import org.nexusreussite.secrets.SecretInspector;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotationListener;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.VersionSelector;

/**
 * The interleaving Lincheck's stress runs rarely hit, forced: a reader reads the resolver before a rotation,
 * stalls while the rotation is adopted, then resumes. The ring must not sign with the older key again.
 */
class StaleReadTest {

  @Test
  void aReaderThatReadTheResolverBeforeARotationDoesNotPutTheOlderKeyBack() throws Exception {
    RingFixture f = new RingFixture();
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver real = f.resolver()) {
      StallingResolver resolver = new StallingResolver(real);
      try (KeyRing ring = f.ring(resolver).build()) {
        CompletableFuture<RingKey> reader = CompletableFuture.supplyAsync(() -> {
          resolver.stall(Thread.currentThread());
          return ring.current();
        });
        assertThat(resolver.readDone.await(10, TimeUnit.SECONDS)).isTrue(); // it holds version 1

        f.rotate(hmacKey("v2"));                                          // adopted by the listener
        assertThat(ring.current().versionId()).isEqualTo("2");
        resolver.resume.countDown();

        assertThat(reader.get(10, TimeUnit.SECONDS).versionId()).isEqualTo("2");
        assertThat(ring.current().versionId()).isEqualTo("2");
        assertThat(ring.verificationKeys()).extracting(RingKey::versionId).containsExactly("2", "1");
      }
    }
  }

  /** Delegates everything; the first {@code secret(key)} of the stalled thread waits after reading. */
  private static final class StallingResolver implements SecretResolver {
    final SecretResolver delegate;
    final CountDownLatch readDone = new CountDownLatch(1);
    final CountDownLatch resume = new CountDownLatch(1);
    volatile Thread stalled;

    StallingResolver(SecretResolver delegate) {
      this.delegate = delegate;
    }

    void stall(Thread thread) {
      stalled = thread;
    }

    @Override
    public Secret secret(String key) {
      Secret s = delegate.secret(key);
      if (Thread.currentThread() == stalled) {
        stalled = null;
        readDone.countDown();
        try {
          resume.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return s;
    }

    @Override
    public String resolve(String key) {
      return delegate.resolve(key);
    }

    @Override
    public String resolve(String key, String defaultValue) {
      return delegate.resolve(key, defaultValue);
    }

    @Override
    public Optional<String> find(String key) {
      return delegate.find(key);
    }

    @Override
    public Secret secret(String key, VersionSelector version) {
      return delegate.secret(key, version);
    }

    @Override
    public SecretGroup group(String... keys) {
      return delegate.group(keys);
    }

    @Override
    public Subscription onRotation(String key, SecretRotationListener listener) {
      return delegate.onRotation(key, listener);
    }

    @Override
    public Subscription onRotation(SecretRotationListener listener) {
      return delegate.onRotation(listener);
    }

    @Override
    public Subscription onGroupRotation(Collection<String> keys, SecretGroupListener listener) {
      return delegate.onGroupRotation(keys, listener);
    }

    @Override
    public SecretAdmin admin() {
      return delegate.admin();
    }

    @Override
    public SecretInspector inspect() {
      return delegate.inspect();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
