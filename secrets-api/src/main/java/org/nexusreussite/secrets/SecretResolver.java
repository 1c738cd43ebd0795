package org.nexusreussite.secrets;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves secrets from an ordered set of backends, with a cache that refreshes in the background.
 *
 * <pre>{@code
 * try (SecretResolver secrets = SecretResolver.fromEnvironment()) {
 *   String url = secrets.resolve("DATABASE_URL");
 * }
 * }</pre>
 *
 * <p>Backends are asked in order of ordinal, highest first; the first that holds a key serves it. A
 * backend that fails is never skipped for a lower one: the resolver serves the cached value while it is
 * within max-stale, else throws. A cache hit is one map read: no clock, no lock, no allocation, no
 * backend call.
 *
 * <p>Thread-safe. Build with {@link #builder()} or {@link #fromEnvironment()}; close when done to stop
 * refreshes and release backend connections.
 */
public interface SecretResolver extends AutoCloseable {

  /** A builder; nothing is discovered unless {@link SecretResolverBuilder#discover()} is called. */
  static SecretResolverBuilder builder() {
    return new SecretResolverBuilder();
  }

  /**
   * A resolver configured by system properties, environment and {@code secrets.properties}, with every
   * backend found on the class path that is active here.
   *
   * @throws MissingSecretsException in a strict profile when required secrets do not resolve
   * @throws BackendConfigurationException when a setting is wrong
   */
  static SecretResolver fromEnvironment() {
    return builder().discover().build();
  }

  /**
   * The current value of {@code key}.
   *
   * @throws SecretNotFoundException when no backend holds it
   * @throws BackendException when the backend holding it failed and no cached value is left
   * @throws IllegalArgumentException when {@code key} is not a valid key
   */
  String resolve(String key);

  /**
   * The value of {@code key}, or {@code defaultValue} when no backend holds it. In a strict profile the
   * default is ignored for a required key, which must resolve.
   *
   * @throws BackendException when the backend holding it failed and no cached value is left
   */
  String resolve(String key, String defaultValue);

  /**
   * The value of {@code key}, or empty when no backend holds it.
   *
   * @throws BackendException when a backend failed and no cached value is left
   */
  Optional<String> find(String key);

  /**
   * The secret served for {@code key}, with version, source and fetch time.
   *
   * @throws SecretNotFoundException when no backend holds it
   */
  Secret secret(String key);

  /**
   * A specific version of {@code key}, from the backend that serves it now.
   *
   * @throws SecretNotFoundException when the key or version does not exist
   * @throws UnsupportedCapabilityException when that backend keeps no history
   */
  Secret secret(String key, VersionSelector version);

  /**
   * The versions of {@code key} in the backend that serves it, newest first.
   *
   * @throws SecretNotFoundException when no backend holds it
   * @throws UnsupportedCapabilityException when that backend keeps no history
   */
  List<SecretVersion> versions(String key);

  /**
   * Serves version {@code versionId} of {@code key} until {@link #unpin(String)}. Fires rotation
   * listeners when that changes what is served.
   *
   * @throws SecretNotFoundException when the version does not exist
   */
  Secret pin(String key, String versionId);

  /** Returns {@code key} to its latest version. */
  void unpin(String key);

  /** Current pins, key -> version id. */
  Map<String, String> pins();

  /**
   * Pins the version before the one served now, in this resolver only, and fires rotation listeners.
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
   * @throws UnsupportedCapabilityException when the backend cannot roll back
   */
  Secret rollback(String key, RollbackScope scope);

  /** Reloads every cached key now (asynchronously); listeners fire for real changes. */
  void refresh();

  /** Reloads one key now, synchronously; listeners fire if it changed. */
  void refresh(String key);

  /**
   * Registers a listener for one key's rotations.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  AutoCloseable onRotation(String key, SecretRotationListener listener);

  /** Registers a listener for every key's rotations. */
  AutoCloseable onRotation(SecretRotationListener listener);

  /** Checks every required key, collecting all problems into one report. Never throws for a missing key. */
  ValidationReport validate();

  /** Where {@code key}'s value comes from, without the value. */
  SecretExplanation explain(String key);

  /** Profile, providers with their activation, search order, pins, cache settings, warnings. */
  ResolverDescription describe();

  /** Health of each active backend, in search order. */
  List<BackendHealth> health();

  /**
   * The keys each listing-capable backend holds, backend id -> keys, in search order. Backends that
   * cannot list are left out.
   */
  Map<String, Set<String>> listKeys();

  /** Stops refreshes and closes the backends. Idempotent. */
  @Override
  void close();
}
