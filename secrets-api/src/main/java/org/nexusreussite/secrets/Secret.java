package org.nexusreussite.secrets;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A resolved secret: its key, value, version, the backend that served it and when it was fetched.
 * {@code toString()} shows everything but the value. Immutable and thread-safe.
 *
 * @param key the key, e.g. {@code DATABASE_URL}
 * @param value the value; print it only with {@link SecretValue#reveal()}
 * @param version the version served
 * @param backend the id of the backend that served it
 * @param fetchedAt when the backend answered
 * @param ttl how long the store says the value is good for (a Vault lease), or {@link Duration#ZERO}
 *     when it says nothing; a positive TTL shortens the resolver's refresh interval for this secret
 */
public record Secret(String key, SecretValue value, SecretVersion version, String backend, Instant fetchedAt,
    Duration ttl) {

  /** Validates the fields. */
  public Secret {
    Keys.requireValid(key);
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative");
    }
  }

  /** A secret without a TTL hint. */
  public static Secret of(String key, SecretValue value, SecretVersion version, String backend, Instant fetchedAt) {
    return new Secret(key, value, version, backend, fetchedAt, Duration.ZERO);
  }

  /** Shortcut for {@code value().reveal()}. */
  public String reveal() {
    return value.reveal();
  }

  /** Shortcut for {@code value().fingerprint()}. */
  public String fingerprint() {
    return value.fingerprint();
  }

  /** Shortcut for {@code value().fingerprint(key)}. */
  public String fingerprint(FingerprintKey key) {
    return value.fingerprint(key);
  }
}
