package org.nexusreussite.secrets.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Readers redact while a writer rotates other keys: a value served before the readers started is redacted
 * in every line, whatever rebuild is being published meanwhile (copy-on-write through a volatile).
 */
class ConcurrentRedactionTest {

  @Test
  void aStableValueStaysRedactedWhileOtherKeysRotate() throws Exception {
    SecretRedactor redactor = SecretRedactor.manual(RedactionOptions.builder().maxValues(64).build());
    redactor.served(TestSecrets.of("STABLE", "stable-value-1234"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(3);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        readers.add(pool.submit(() -> {
          started.countDown();
          int lines = 0;
          while (!stop.get()) {
            String out = redactor.redact("user x used stable-value-1234 at step " + lines);
            if (out.contains("stable-value-1234")) {
              throw new AssertionError("leaked in line " + lines);
            }
            lines++;
          }
          return lines;
        }));
      }
      started.await();
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 2000; i++) {
          redactor.served(TestSecrets.of("ROTATING_" + (i % 8), "rotating-value-" + i));
        }
      });
      writer.get(30, TimeUnit.SECONDS);
      stop.set(true);
      for (Future<Integer> r : readers) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isPositive();
      }
      assertThat(redactor.redact("rotating-value-1999")).isEqualTo("[secret:ROTATING_7]");
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }
}
