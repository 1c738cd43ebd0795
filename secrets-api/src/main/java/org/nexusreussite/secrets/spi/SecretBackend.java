package org.nexusreussite.secrets.spi;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteOptions;

/**
 * Where secrets live. Implementations are thread-safe: the resolver calls them from readers and from
 * refresh threads at once.
 *
 * <p>Contract (checked by the testkit's {@code SecretBackendContractTest}): an unknown key gives an
 * empty result, never an exception; an exception means the store could not be asked; versions are
 * listed newest first; no message and no {@code toString()} contains a value; {@link #close()} is
 * idempotent.
 */
public interface SecretBackend extends AutoCloseable {

  /** The backend id, as its provider's. */
  String id();

  /** What it can do beyond reading the current value. */
  Set<Capability> capabilities();

  /**
   * A short description for "searched:" lists, e.g. {@code vault[secret/nexus-reussite]}. No secrets.
   */
  default String describe() {
    return id();
  }

  /**
   * The secret, or empty when this backend does not hold it (or not that version).
   *
   * @throws org.nexusreussite.secrets.BackendException when the store could not be asked
   */
  Optional<Secret> fetch(String key, VersionSelector version);

  /**
   * The current values of several keys, absent keys left out.
   *
   * <p>Every returned key that lives in one source (a Vault path, an AWS JSON secret, one kubelet
   * {@code ..data} generation, one {@code .env} file) comes from one read of that source, so keys read
   * together are a consistent set: never the user of one generation with the password of the next.
   * Backends that hold many keys per request override this to make one request per source, and MAY
   * return further keys that the same read carried but were not asked for ("siblings"); the resolver may
   * cache those so that a cold start costs one request per source, not one per key.
   *
   * @throws org.nexusreussite.secrets.BackendException when the store could not be asked
   */
  default Map<String, Secret> fetchAll(Collection<String> keys) {
    Map<String, Secret> found = new HashMap<>();
    for (String key : keys) {
      Optional<Secret> s = fetch(key, VersionSelector.latest()); // no lambda: start-up, issue 18
      if (s.isPresent()) {
        found.put(key, s.get());
      }
    }
    return found;
  }

  /**
   * Whether a version id identifies one key's own version or a whole source's; decides whether a new
   * version with an unchanged value is reported as a rotation. Default {@link VersionScope#SOURCE}.
   */
  default VersionScope versionScope() {
    return VersionScope.SOURCE;
  }

  /**
   * Versions of a key, newest first; empty when the key is unknown.
   *
   * @throws UnsupportedCapabilityException without {@link Capability#VERSIONS}
   */
  default List<SecretVersion> versions(String key) {
    throw UnsupportedCapabilityException.of(id(), Capability.VERSIONS);
  }

  /**
   * The keys this backend holds.
   *
   * @throws UnsupportedCapabilityException without {@link Capability#LISTING}
   */
  default Set<String> keys() {
    throw UnsupportedCapabilityException.of(id(), Capability.LISTING);
  }

  /**
   * Makes {@code toVersion}'s value current in the store for every reader, and returns the version
   * that is now current.
   *
   * @throws UnsupportedCapabilityException without {@link Capability#ROLLBACK}
   * @throws org.nexusreussite.secrets.SecretNotFoundException when the key or version does not exist
   */
  default SecretVersion rollback(String key, SecretVersion toVersion) {
    throw UnsupportedCapabilityException.of(id(), Capability.ROLLBACK);
  }

  /**
   * Writes {@code value} as a new current version of {@code key} and returns that version. Other keys held
   * in the same place (the other fields of a Vault path, the other keys of an AWS JSON secret or a Kubernetes
   * Secret) keep their values.
   *
   * <p>Optimistic concurrency: when {@link WriteOptions#expectedVersion()} is given, the write succeeds only
   * if that version is still current, else throws {@link org.nexusreussite.secrets.WriteConflictException}
   * naming the version it lost to; without it, the version read at the start of the write is the expected
   * one. Either way the store's own check (check-and-set, resourceVersion, stage move) decides, so of two
   * concurrent writers exactly one wins. A key this backend does not hold is created only with
   * {@link WriteOptions#createIfMissing()}.
   *
   * <p>Verification: a backend that returns true from {@link #stagedWrites()} runs
   * {@link WriteOptions#verifier()} while the new version is staged and promotes it only when the verifier
   * returns normally; other backends ignore the verifier (the resolver verifies after the write and writes
   * the previous value back on failure).
   *
   * @return the new version, current
   * @throws UnsupportedCapabilityException without {@link Capability#WRITE}
   * @throws org.nexusreussite.secrets.WriteConflictException when another writer won
   * @throws org.nexusreussite.secrets.SecretNotFoundException when the key is absent and creation not asked
   * @throws org.nexusreussite.secrets.VerificationFailedException when a staged version failed verification
   */
  default SecretVersion write(String key, SecretValue value, WriteOptions options) {
    throw UnsupportedCapabilityException.of(id(), Capability.WRITE);
  }

  /**
   * Whether {@link #write} stages the new version and runs the verifier before promoting it (AWS
   * {@code AWSPENDING}); default false.
   */
  default boolean stagedWrites() {
    return false;
  }

  /**
   * Subscribes to change notifications.
   *
   * @throws UnsupportedCapabilityException without {@link Capability#WATCH}
   */
  default void watch(BackendChangeListener listener) {
    throw UnsupportedCapabilityException.of(id(), Capability.WATCH);
  }

  /**
   * A state the backend knows without asking the store, e.g. DEGRADED while its change watch is lost or
   * its token cannot be renewed; empty when it has nothing to report beyond what reads show. Cheap, no
   * I/O, never throws: the resolver calls it on every health report.
   */
  default Optional<BackendHealth> reportedState() {
    return Optional.empty();
  }

  /**
   * Probes the store live (connectivity, authentication), within the backend's deadline. Never throws.
   */
  default BackendHealth health() {
    return BackendHealth.up(id(), "no probe");
  }

  /** Releases connections, threads and watches. Idempotent. */
  @Override
  default void close() {}
}
