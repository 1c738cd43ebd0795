package org.nexusreussite.secrets.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** Shared set-up: keys, values and resolvers isolated from the real environment (no discovery). */
final class Fixtures {
  /** The number of cached keys in the hot-hit benchmarks. */
  static final int KEYS = 50;
  /** The key every hot-hit benchmark reads, one among {@link #KEYS}. */
  static final String HOT_KEY = key(17);

  private Fixtures() {}

  static String key(int i) {
    return "SECRET_KEY_" + i;
  }

  /** A value of realistic length (a database URL). */
  static String value(int i) {
    return "postgres://app:p4ssw0rd-" + i + "@db.internal:5432/app?sslmode=verify-full";
  }

  static List<String> keys(int count) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(key(i));
    }
    return out;
  }

  /** An in-memory backend holding {@code count} keys. */
  static InMemorySecretBackend backend(int count) {
    InMemorySecretBackend backend = new InMemorySecretBackend("vault");
    for (int i = 0; i < count; i++) {
      backend.put(key(i), value(i));
    }
    return backend;
  }

  /**
   * A resolver over {@code backend} on the real default scheduler (two daemon threads), with nothing
   * from the environment or class path.
   */
  static SecretResolver resolver(InMemorySecretBackend backend, Duration refreshInterval) {
    return SecretResolver.builder()
        .config(SecretsConfig.of(java.util.Map.of()))
        .backend(backend, 300)
        .refreshInterval(refreshInterval)
        .build();
  }

  /** Reads every key once so that the benchmark measures hits only. */
  static void warm(SecretResolver resolver, int count) {
    for (int i = 0; i < count; i++) {
      if (!value(i).equals(resolver.resolve(key(i)))) {
        throw new IllegalStateException("warm-up read of " + key(i) + " returned the wrong value");
      }
    }
  }
}
