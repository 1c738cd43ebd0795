package org.nexusreussite.secrets;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How {@link SecretAdmin#write(String, SecretValue, WriteOptions)} writes a new version: the version the
 * writer expects to replace (optimistic concurrency), the backend to write to, whether a missing key may be
 * created, and an optional verification before the new version is promoted.
 *
 * <pre>{@code
 * admin.write("JWT_SECRET_KEY", SecretValue.of(next), WriteOptions.builder().expectedVersion("7").build());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class WriteOptions {
  private static final WriteOptions DEFAULTS = new Builder().build();

  private final @Nullable String expectedVersion;
  private final @Nullable String backend;
  private final boolean createIfMissing;
  private final @Nullable SecretVerifier verifier;

  private WriteOptions(Builder b) {
    this.expectedVersion = b.expectedVersion;
    this.backend = b.backend;
    this.createIfMissing = b.createIfMissing;
    this.verifier = b.verifier;
  }

  /**
   * No expected version (the version current when the write starts is the one replaced, still with the
   * store's check-and-set, so a writer racing within the write loses), the serving backend, no creation, no
   * verification.
   */
  public static WriteOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The version id the writer saw as current; the write fails with a conflict when another is current. */
  public Optional<String> expectedVersion() {
    return Optional.ofNullable(expectedVersion);
  }

  /** The id of the backend to write to; empty means the backend that serves the key now. */
  public Optional<String> backend() {
    return Optional.ofNullable(backend);
  }

  /** Whether a key no backend holds may be created (in {@link #backend()}, else the first writable one). */
  public boolean createIfMissing() {
    return createIfMissing;
  }

  /** The verification run on the new value before it is promoted (or kept), if any. */
  public Optional<SecretVerifier> verifier() {
    return Optional.ofNullable(verifier);
  }

  /** These options with {@code versionId} as the expected version. */
  public WriteOptions withExpectedVersion(@Nullable String versionId) {
    Builder b = toBuilder();
    b.expectedVersion = versionId;
    return b.build();
  }

  /** These options without a verifier (the resolver verifies itself for stores without stages). */
  public WriteOptions withoutVerifier() {
    Builder b = toBuilder();
    b.verifier = null;
    return b.build();
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.expectedVersion = expectedVersion;
    b.backend = backend;
    b.createIfMissing = createIfMissing;
    b.verifier = verifier;
    return b;
  }

  @Override
  public String toString() {
    return "WriteOptions[expectedVersion=" + expectedVersion + ", backend=" + backend + ", createIfMissing="
        + createIfMissing + ", verifier=" + (verifier != null) + "]";
  }

  /** Builds {@link WriteOptions}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String expectedVersion;
    private @Nullable String backend;
    private boolean createIfMissing;
    private @Nullable SecretVerifier verifier;

    private Builder() {}

    /**
     * The version id the writer saw as current.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder expectedVersion(String versionId) {
      if (Objects.requireNonNull(versionId, "versionId").isBlank()) {
        throw new IllegalArgumentException("expectedVersion must not be blank");
      }
      this.expectedVersion = versionId;
      return this;
    }

    /**
     * Writes to the backend with this id rather than the one serving the key.
     *
     * @throws IllegalArgumentException when blank
     */
    public Builder backend(String backendId) {
      if (Objects.requireNonNull(backendId, "backendId").isBlank()) {
        throw new IllegalArgumentException("backend must not be blank");
      }
      this.backend = backendId;
      return this;
    }

    /** Allows creating a key that no backend holds yet. */
    public Builder createIfMissing(boolean create) {
      this.createIfMissing = create;
      return this;
    }

    /** Verifies the new value before it is promoted (staged stores) or kept (others). */
    public Builder verifier(SecretVerifier check) {
      this.verifier = Objects.requireNonNull(check, "verifier");
      return this;
    }

    /** The options. */
    public WriteOptions build() {
      return new WriteOptions(this);
    }
  }
}
