package org.nexusreussite.secrets;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A key's served value or version changed: a rotation picked up by refresh, a pin, a rollback, or a
 * change pushed by a watching backend. {@code toString()} shows versions and fingerprints, never values.
 */
public final class SecretRotation {
  private final String key;
  private final @Nullable Secret previous;
  private final Secret current;

  /**
   * Creates the event.
   *
   * @param previous the secret served before, or null when the key was not served before
   */
  public SecretRotation(String key, @Nullable Secret previous, Secret current) {
    this.key = Keys.requireValid(key);
    this.previous = previous;
    this.current = Objects.requireNonNull(current, "current");
  }

  /** The key. */
  public String key() {
    return key;
  }

  /** What was served before. */
  public Optional<Secret> previous() {
    return Optional.ofNullable(previous);
  }

  /** What is served now. */
  public Secret current() {
    return current;
  }

  @Override
  public String toString() {
    return "SecretRotation[" + key + ": "
        + (previous == null ? "none" : previous.version().id() + " " + previous.fingerprint()) + " -> "
        + current.version().id() + " " + current.fingerprint() + " from " + current.backend() + "]";
  }
}
