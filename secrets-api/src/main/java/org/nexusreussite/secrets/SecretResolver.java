package org.nexusreussite.secrets;

import java.util.Collection;
import java.util.Optional;

/**
 * Resolves secrets from an ordered set of backends, with a cache that refreshes in the background.
 *
 * <pre>{@code
 * try (SecretResolver secrets = SecretResolver.fromEnvironment()) {
 *   String url = secrets.resolve("DATABASE_URL");
 *   SecretGroup db = secrets.group("DB_USER", "DB_PASSWORD");
 *   Subscription s = secrets.onRotation("API_KEY", rotation -> client.rekey());
 * }
 * }</pre>
 *
 * <p>Backends are asked in order of ordinal, highest first; the first that holds a key serves it. A
 * backend that fails is never skipped for a lower one: the resolver serves the cached value while it is
 * within max-stale, else throws. A cache hit is one map read: no clock, no lock, no allocation, no
 * backend call.
 *
 * <p>This interface holds the everyday data methods. Administration (versions, pins, rollback, forced
 * refresh) is behind {@link #admin()}, introspection (validate, explain, describe, health, listing)
 * behind {@link #inspect()}.
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
   * @throws BackendException when the backend holding it failed and no cached value is left
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
   * Several keys as one consistent set: the keys one backend keeps in one source come from one read of
   * it, never the user of one generation with the password of the next. Served from the cache when the
   * cached keys of each backend came from one read, else read again together.
   *
   * @throws SecretNotFoundException when a key is held by no backend
   * @throws BackendException when a backend failed and no cached value is left
   * @throws IllegalArgumentException when no key is given or a key is not valid
   */
  SecretGroup group(String... keys);

  /**
   * Registers a listener for one key's changes: a changed value, or a new version where the backend
   * versions each key on its own. Never fires on a refresh that found the same value.
   *
   * @return a handle whose {@code close()} removes the listener
   */
  Subscription onRotation(String key, SecretRotationListener listener);

  /** Registers a listener for every key's changes; see {@link #onRotation(String, SecretRotationListener)}. */
  Subscription onRotation(SecretRotationListener listener);

  /**
   * Registers a listener told once per change of any of {@code keys}, with all of their new values read
   * as one consistent {@link SecretGroup}. Reads the group now, so the first call reports a change from
   * what is served at subscription.
   *
   * @throws SecretNotFoundException when a key is held by no backend
   */
  Subscription onGroupRotation(Collection<String> keys, SecretGroupListener listener);

  /**
   * Registers a listener told of every value this resolver serves: at once for each value served now,
   * then on each entry written (see {@link ServedSecretListener}). Unlike {@code onRotation}, it also
   * hears first serves and repeats. Meant for log redaction; added after Resolver 1.0, hence the default.
   *
   * @return a handle whose {@code close()} removes the listener
   * @throws UnsupportedOperationException when this implementation cannot report served values (the
   *     resolvers built by {@link #builder()} always can)
   */
  default Subscription onServe(ServedSecretListener listener) {
    throw new UnsupportedOperationException(getClass().getName() + " does not report served secrets; "
        + "build the resolver with SecretResolver.builder()");
  }

  /** Versions, pins, rollback and forced refresh. */
  SecretAdmin admin();

  /** Validation, explanations, description, health and listing. */
  SecretInspector inspect();

  /** Stops refreshes and closes the backends. Idempotent. */
  @Override
  void close();
}
