package org.nexusreussite.secrets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Administration of a {@link SecretResolver}: versions, pins, rollback and forced refreshes. Kept apart
 * from the everyday read methods, as Caffeine keeps {@code policy()} apart from {@code Cache}; obtain it
 * with {@link SecretResolver#admin()}.
 *
 * <pre>{@code
 * resolver.admin().rollback("DATABASE_PASSWORD");      // serve the previous version here
 * resolver.admin().refresh().join();                   // reload every cached key now
 * }</pre>
 *
 * <p>Thread-safe. Every change of what is served fires the resolver's rotation listeners.
 */
public interface SecretAdmin {

  /**
   * The versions of {@code key} in the backend that serves it, newest first.
   *
   * @throws SecretNotFoundException when no backend holds it
   * @throws UnsupportedCapabilityException when that backend keeps no history
   */
  List<SecretVersion> versions(String key);

  /**
   * Serves version {@code versionId} of {@code key} until {@link #unpin(String)}; {@code "latest"} unpins.
   * Fires rotation listeners when that changes what is served.
   *
   * @return the secret now served
   * @throws SecretNotFoundException when the key or version does not exist
   * @throws UnsupportedCapabilityException when the serving backend keeps no history
   */
  Secret pin(String key, String versionId);

  /** Returns {@code key} to its latest version; nothing happens when it is not pinned. */
  void unpin(String key);

  /** Current pins, key -> version selector, in the order they were made. */
  Map<String, String> pins();

  /**
   * Pins the version before the one served now, in this resolver only ({@link RollbackScope#LOCAL}).
   *
   * @return the secret now served
   * @throws SecretNotFoundException when there is no earlier live version
   */
  default Secret rollback(String key) {
    return rollback(key, RollbackScope.LOCAL);
  }

  /**
   * Rolls back in this resolver ({@link RollbackScope#LOCAL}) or in the store for every reader
   * ({@link RollbackScope#BACKEND}: Vault writes the old data back, AWS moves {@code AWSCURRENT}, Azure
   * sets the old value as a new version).
   *
   * @return the secret now served
   * @throws SecretNotFoundException when there is no earlier live version
   * @throws UnsupportedCapabilityException when the backend cannot roll back
   */
  Secret rollback(String key, RollbackScope scope);

  /**
   * Reloads every cached key now, in the background, one batch per backend; keys remembered as not found
   * are forgotten so the next read asks again. Listeners fire for real changes.
   *
   * @return completes when every batch has finished (a batch whose backend failed completes too: its
   *     keys keep their cached values within max-stale, as for a scheduled refresh)
   */
  CompletableFuture<Void> refresh();

  /**
   * Reloads one key now, on the calling thread; listeners fire if it changed.
   *
   * @throws IllegalArgumentException when {@code key} is not a valid key
   */
  void refresh(String key);

  /**
   * Writes {@code value} as a new current version of {@code key} in the store (the backend serving the key,
   * or {@link WriteOptions#backend()}), then replaces this resolver's cache entry, so reads here see the new
   * version at once and rotation listeners fire once. Other resolvers pick it up at their next refresh. An
   * audit record ({@code org.nexusreussite.secrets.audit}, INFO) names key, backend and versions, never the
   * value. A pinned key stays pinned.
   *
   * @return what was written: backend, previous and new version, fingerprint
   * @throws UnsupportedCapabilityException when the backend cannot write (env, dotenv, mounted files)
   * @throws WriteConflictException when another writer made a version after the expected one
   * @throws VerificationFailedException when the verifier refused the new value (not promoted or rolled back)
   * @throws SecretNotFoundException when no backend holds the key and creation was not asked
   * @throws UnsupportedOperationException from an implementation other than the resolver's (a default kept so
   *     that adding this method broke no existing implementation)
   */
  default SecretWrite write(String key, SecretValue value, WriteOptions options) {
    throw new UnsupportedOperationException(getClass().getName() + " does not write; use SecretResolver.admin()");
  }

  /**
   * Writes a value made by {@code generator}: {@code write(key, generator.generate(), options)}.
   *
   * @see #write(String, SecretValue, WriteOptions)
   */
  default SecretWrite rotate(String key, SecretGenerator generator, WriteOptions options) {
    return write(key, generator.generate(), options);
  }
}
