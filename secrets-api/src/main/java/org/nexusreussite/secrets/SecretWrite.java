package org.nexusreussite.secrets;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a write or rotation did: the key, the backend written to, the version replaced and the new one, and
 * the new value's fingerprint. Never the value. Immutable.
 */
public final class SecretWrite {
  private final String key;
  private final String backend;
  private final @Nullable SecretVersion previous;
  private final SecretVersion current;
  private final String fingerprint;

  /**
   * Creates the report.
   *
   * @param previous the version replaced, null when the key was created
   * @param fingerprint the new value's fingerprint ({@link SecretValue#fingerprint()})
   */
  public SecretWrite(String key, String backend, @Nullable SecretVersion previous, SecretVersion current,
      String fingerprint) {
    this.key = Objects.requireNonNull(key, "key");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.previous = previous;
    this.current = Objects.requireNonNull(current, "current");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** The key written. */
  public String key() {
    return key;
  }

  /** The id of the backend written to. */
  public String backend() {
    return backend;
  }

  /** The version replaced; empty when the key was created. */
  public Optional<SecretVersion> previous() {
    return Optional.ofNullable(previous);
  }

  /** The new current version. */
  public SecretVersion current() {
    return current;
  }

  /** The new value's fingerprint, never the value. */
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public String toString() {
    return "SecretWrite[" + key + " in " + backend + ": " + (previous == null ? "(new)" : previous.id()) + " -> "
        + current.id() + ", " + fingerprint + "]";
  }
}
