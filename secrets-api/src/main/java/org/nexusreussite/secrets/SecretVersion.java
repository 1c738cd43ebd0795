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

  /** Compiled on first use: a content version (every read of a .env or env var) never needs it. */
  private static final class Ids {
    static final Pattern PATTERN = Pattern.compile("[\\x21-\\x7e]{1,256}");
  }

  /** The id, or null until a content id ({@link #ofContent}) is first asked for. */
  private @Nullable String id;
  /**
   * The value a content id is derived from (the one the {@link Secret} holds anyway); kept, not cleared,
   * so that a thread racing the first derivation always finds it. Never shown.
   */
  private final @Nullable SecretValue content;
  private final @Nullable Instant createdAt;
  private final Set<String> stages;
  private final boolean current;
  private final State state;

  private SecretVersion(String id, @Nullable Instant createdAt, Set<String> stages, boolean current, State state) {
    Objects.requireNonNull(id, "id");
    if (!Ids.PATTERN.matcher(id).matches()) {
      throw new IllegalArgumentException("version id must be 1 to 256 printable ASCII characters");
    }
    this.id = id;
    this.content = null;
    this.createdAt = createdAt;
    this.stages = Set.copyOf(stages);
    this.current = current;
    this.state = Objects.requireNonNull(state, "state");
  }

  /** A current, enabled content version whose id is derived when first asked for. */
  private SecretVersion(SecretValue content) {
    this.content = content;
    this.createdAt = null;
    this.stages = Set.of();
    this.current = true;
    this.state = State.ENABLED;
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
    // the id is derived on first use: a start-up that only reads values never builds the HMAC and its
    // SecureRandom key (about 30 ms of a JVM's start, issue 18); refreshes compare ids and derive them then
    return new SecretVersion(Objects.requireNonNull(value, "value"));
  }

  /** Its own key, so a content id never equals the value's displayed fingerprint. */
  private static final class ContentIds {
    static final FingerprintKey KEY = FingerprintKey.random("content");
  }

  /** The store's id for this version. */
  public String id() {
    String i = id;
    if (i == null) {
      SecretValue c = Objects.requireNonNull(content, "a version without an id has content");
      // racy single-check: a second thread derives the same id (one key per process), and a String is
      // safely published without a volatile
      i = c.fingerprint(ContentIds.KEY);
      id = i;
    }
    return i;
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
    return new SecretVersion(id(), createdAt, stages, isCurrent, state);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretVersion v && id().equals(v.id()) && Objects.equals(createdAt, v.createdAt)
        && stages.equals(v.stages) && current == v.current && state == v.state;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id(), createdAt, stages, current, state);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SecretVersion[").append(id());
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
