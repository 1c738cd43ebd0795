package org.nexusreussite.secrets;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a key's value comes from, without the value: backend, version, fetch time, cache state, when the
 * next refresh is due, whether it is pinned, and a fingerprint two hosts can compare. Immutable.
 */
public final class SecretExplanation {
  /** The state of a key in the resolver's cache. */
  public enum CacheState {
    /** Cached and within its refresh interval (or refreshing). */
    FRESH,
    /** Cached; the backend is failing and the value is served within max-stale. */
    STALE,
    /** Past max-stale: reads throw the backend's error until it recovers. */
    FAILED,
    /** Remembered as not found for the negative TTL. */
    NOT_FOUND,
    /** Not in the cache. */
    NOT_CACHED
  }

  private final String key;
  private final CacheState cacheState;
  private final @Nullable Secret secret;
  private final @Nullable Instant refreshDue;
  private final @Nullable String pinnedVersion;
  private final @Nullable String lastError;

  /**
   * Creates an explanation.
   *
   * @param secret the secret served, or null when none
   * @param refreshDue when the next refresh runs, or null
   * @param pinnedVersion the pinned version selector, or null
   * @param lastError the last error's message, or null
   */
  public SecretExplanation(String key, CacheState cacheState, @Nullable Secret secret,
      @Nullable Instant refreshDue, @Nullable String pinnedVersion, @Nullable String lastError) {
    this.key = key;
    this.cacheState = cacheState;
    this.secret = secret;
    this.refreshDue = refreshDue;
    this.pinnedVersion = pinnedVersion;
    this.lastError = lastError;
  }

  /** The key. */
  public String key() {
    return key;
  }

  /** The cache state. */
  public CacheState cacheState() {
    return cacheState;
  }

  /** The backend that served it. */
  public Optional<String> backend() {
    return secret().map(Secret::backend);
  }

  /** The version served. */
  public Optional<SecretVersion> version() {
    return secret().map(Secret::version);
  }

  /** When the backend answered. */
  public Optional<Instant> fetchedAt() {
    return secret().map(Secret::fetchedAt);
  }

  /** The fingerprint of the value served, with {@link FingerprintKey#fromEnvironment()}. */
  public Optional<String> fingerprint() {
    return secret().map(Secret::fingerprint);
  }

  /** The fingerprint of the value served, with {@code key} (e.g. the one of the command's settings). */
  public Optional<String> fingerprint(FingerprintKey key) {
    return secret().map(s -> s.fingerprint(key));
  }

  /** When the next refresh is due. */
  public Optional<Instant> refreshDue() {
    return Optional.ofNullable(refreshDue);
  }

  /** The pinned version, if pinned. */
  public Optional<String> pinnedVersion() {
    return Optional.ofNullable(pinnedVersion);
  }

  /** The last error seen for this key. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  private Optional<Secret> secret() {
    return Optional.ofNullable(secret);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(key).append(": ").append(cacheState);
    if (secret != null) {
      sb.append(", backend ").append(secret.backend())
          .append(", version ").append(secret.version().id())
          .append(", fetched ").append(secret.fetchedAt())
          .append(", fingerprint ").append(secret.fingerprint());
    }
    if (refreshDue != null) {
      sb.append(", refresh due ").append(refreshDue);
    }
    sb.append(pinnedVersion == null ? ", not pinned" : ", pinned to " + pinnedVersion);
    if (lastError != null) {
      sb.append(", last error: ").append(lastError);
    }
    return sb.toString();
  }
}
