package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;
import static org.nexusreussite.secrets.jwt.RingFixture.hmacKey;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;

/**
 * Readers call {@code current()} and {@code verificationKeys()} on real threads while the test thread rotates
 * the key 40 times through the resolver (refreshes and listeners on the rotating thread, as in production).
 */
class KeyRingConcurrencyTest {
  private static final int ROTATIONS = 40;
  private static final int READERS = 3;

  @Test
  void readersAlwaysSeeTheKeyTheySignWithAmongTheVerificationKeysDuringRotations() throws Exception {
    RingFixture f = new RingFixture();
    f.store.put(KEY, hmacKey("v0"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).maxKeys(64).build()) {
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      AtomicLong reads = new AtomicLong();
      CountDownLatch started = new CountDownLatch(READERS);
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        Thread t = new Thread(() -> {
          started.countDown();
          int lastVersion = 0;
          while (!done.get()) {
            RingKey signing = ring.current();
            List<RingKey> keys = ring.verificationKeys();
            int version = Integer.parseInt(signing.versionId());
            if (version < lastVersion) {
              problems.add("current went back from version " + lastVersion + " to " + version);
            }
            lastVersion = version;
            if (keys.stream().noneMatch(k -> k.keyId().equals(signing.keyId()))) {
              problems.add("signing key " + signing + " not among " + keys);
            }
            if (!keys.get(0).current() || keys.stream().skip(1).anyMatch(RingKey::current)) {
              problems.add("the current key is not first and alone: " + keys);
            }
            if (keys.stream().map(RingKey::keyId).distinct().count() != keys.size()) {
              problems.add("duplicate key ids: " + keys);
            }
            reads.incrementAndGet();
          }
        }, "ring-reader-" + r);
        t.start();
        readers.add(t);
      }
      started.await(10, TimeUnit.SECONDS);
      for (int i = 1; i <= ROTATIONS; i++) {
        f.rotate(hmacKey("v" + i));
        Thread.onSpinWait();
      }
      done.set(true);
      for (Thread t : readers) {
        t.join(10_000);
      }

      assertThat(problems).isEmpty();
      assertThat(reads.get()).isPositive();
      assertThat(ring.current().versionId()).isEqualTo(Integer.toString(ROTATIONS + 1));
      assertThat(ring.verificationKeys()).hasSize(ROTATIONS + 1);
    }
  }
}
