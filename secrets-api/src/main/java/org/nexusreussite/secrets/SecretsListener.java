package org.nexusreussite.secrets;

import java.time.Duration;

/**
 * A hook for metrics and tracing: backend lookups, refreshes and backend failures, registered with
 * {@link SecretResolverBuilder#listener(SecretsListener)} so that it sees the lookups made while the
 * resolver starts. Rotations are not reported here: they have one channel,
 * {@link SecretResolver#onRotation(SecretRotationListener)} and its siblings.
 *
 * <p>Every method has an empty default. Calls carry keys, backend ids and outcomes, never values. Cache
 * hits are not reported: they are a single map read, kept free of callbacks. Called on the thread that
 * asked the backend (a reader on a miss, or a refresh thread); an exception thrown here is logged (type
 * only) and ignored.
 */
public interface SecretsListener {
  /** Outcomes of a backend lookup. */
  enum Outcome {
    /** The backend held the key. */
    FOUND,
    /** No backend held the key. */
    NOT_FOUND,
    /** The backend could not be asked. */
    ERROR
  }

  /**
   * A load or refresh asked the backends for {@code key}.
   *
   * @param backend the backend that answered (or failed); {@code "none"} when no backend held the key
   */
  default void onLookup(String key, String backend, Outcome outcome, Duration elapsed) {}

  /** A backend failed; {@code error}'s message carries no value. */
  default void onBackendFailure(String backend, SecretsException error) {}

  /**
   * A refresh of cached keys ended: one batch of one backend's keys, scheduled or asked for with
   * {@link SecretAdmin#refresh()}. Its lookups were reported one by one before.
   *
   * @param backend the backend that served the batch's keys ({@code "none"} for keys no backend held)
   * @param keys how many keys the batch refreshed
   * @param succeeded false when the backend could not be asked for at least one of them (the old values stay
   *     served, see max-stale)
   * @param elapsed the whole batch's time
   */
  default void onRefresh(String backend, int keys, boolean succeeded, Duration elapsed) {}
}
