package org.nexusreussite.secrets;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One version of a secret as a store knows it: an id ({@code "3"} in Vault, a UUID in AWS, a hex id in
 * Azure, a folder name for a Kubernetes volume), when it was created if the store says, its stages
 * (AWS labels such as {@code AWSCURRENT}), whether it is the current one, and its state. Immutable.
 */
public final class SecretVersion {
  /** Whether a version can be served. */
  public enum State {
    /** Readable. */
    ENABLED,
    /** Disabled in the store (Azure); kept, not served. */
    DISABLED,
    /** Past its expiry date (Azure); not served. */
    EXPIRED,
    /** Soft-deleted (Vault KV v2 delete); may be undeleted; not served. */
    DELETED,
    /** Destroyed for good (Vault KV v2 destroy); not served. */
    DESTROYED;

    /** True only for {@link #ENABLED}. */
    public boolean servable() {
      return this == ENABLED;
    }
  }

  private static final Pattern ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

  private final String id;
  private final @Nullable Instant createdAt;
  private final Set<String> stages;
  private final boolean current;
  private final State state;

  private SecretVersion(String id, @Nullable Instant createdAt, Set<String> stages, boolean current, State state) {
    Objects.requireNonNull(id, "id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("version id must be 1 to 256 printable ASCII characters");
    }
    this.id = id;
    this.createdAt = createdAt;
    this.stages = Set.copyOf(stages);
    this.current = current;
    this.state = Objects.requireNonNull(state, "state");
  }

  /** A current, enabled version with no creation time or stages. */
  public static SecretVersion of(String id) {
    return new SecretVersion(id, null, Set.of(), true, State.ENABLED);
  }

  /**
   * A version with every attribute.
   *
   * @param createdAt when it was created, or null when the store does not say
   */
  public static SecretVersion of(String id, @Nullable Instant createdAt, Set<String> stages, boolean current, State state) {
    return new SecretVersion(id, createdAt, stages, current, state);
  }

  /**
   * The version of a value from a store without history (env var, file): an id derived from the content
   * with a random key made once per process ({@code content:0123456789ab}), so a changed value is a changed
   * version within a process, while the id is never a value hash that could be reversed by hashing
   * candidates. Not comparable across processes; use {@link SecretValue#fingerprint()} to compare hosts.
   */
  public static SecretVersion ofContent(SecretValue value) {
    return of(value.fingerprint(ContentIds.KEY));
  }

  /** Its own key, so a content id never equals the value's displayed fingerprint. */
  private static final class ContentIds {
    static final FingerprintKey KEY = FingerprintKey.random("content");
  }

  /** The store's id for this version. */
  public String id() {
    return id;
  }

  /** When the store created it, if it says. */
  public Optional<Instant> createdAt() {
    return Optional.ofNullable(createdAt);
  }

  /** Stage labels (AWS {@code AWSCURRENT}, {@code AWSPREVIOUS}, ...), empty elsewhere. */
  public Set<String> stages() {
    return stages;
  }

  /** True for the version a plain read returns. */
  public boolean current() {
    return current;
  }

  /** Whether it can be served. */
  public State state() {
    return state;
  }

  /** A copy with another {@code current} flag. */
  public SecretVersion withCurrent(boolean isCurrent) {
    return new SecretVersion(id, createdAt, stages, isCurrent, state);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretVersion v && id.equals(v.id) && Objects.equals(createdAt, v.createdAt)
        && stages.equals(v.stages) && current == v.current && state == v.state;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, createdAt, stages, current, state);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SecretVersion[").append(id);
    if (createdAt != null) {
      sb.append(", created ").append(createdAt);
    }
    if (!stages.isEmpty()) {
      sb.append(", stages ").append(stages);
    }
    if (current) {
      sb.append(", current");
    }
    if (state != State.ENABLED) {
      sb.append(", ").append(state.name().toLowerCase(java.util.Locale.ROOT));
    }
    return sb.append(']').toString();
  }
}
