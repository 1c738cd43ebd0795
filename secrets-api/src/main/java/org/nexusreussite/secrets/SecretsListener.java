package org.nexusreussite.secrets;

import java.time.Duration;

/**
 * A hook for metrics and tracing: backend lookups, rotations and backend failures. All methods have
 * empty defaults. Calls carry keys, backend ids and outcomes, never values. Cache hits are not reported:
 * they are a single map read, kept free of callbacks.
 */
public interface SecretsListener {
  /** Outcomes of a backend lookup. */
  enum Outcome {
    /** The backend held the key. */
    FOUND,
    /** No backend held the key. */
    NOT_FOUND,
    /** The backend could not be asked. */
    ERROR,
    /** The backend failed and a cached value was served instead. */
    STALE
  }

  /**
   * A load or refresh asked the backends for {@code key}.
   *
   * @param backend the backend that answered (or failed); {@code "none"} when no backend held the key
   */
  default void onLookup(String key, String backend, Outcome outcome, Duration elapsed) {}

  /** A key's value or version changed. */
  default void onRotation(SecretRotation rotation) {}

  /** A backend failed; {@code error}'s message carries no value. */
  default void onBackendFailure(String backend, SecretsException error) {}
}
