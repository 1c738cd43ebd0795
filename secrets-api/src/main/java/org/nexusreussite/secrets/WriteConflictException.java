package org.nexusreussite.secrets;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A write lost a race: another writer made a new version after the version this write expected, so the
 * store's check-and-set refused it and nothing was overwritten. Read the versions again and retry if the
 * write is still wanted ({@code secrets versions KEY}).
 */
public final class WriteConflictException extends BackendException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final @Nullable String expectedVersion;
  private final @Nullable String currentVersion;

  /**
   * Creates the exception.
   *
   * @param where the store's name for the place, e.g. {@code Vault path secret/app}
   * @param expectedVersion the version the write expected to replace, null when it expected none
   * @param currentVersion the version found current after the refusal, null when unknown
   */
  public WriteConflictException(String backendId, String key, String where, @Nullable String expectedVersion,
      @Nullable String currentVersion) {
    super(backendId, "Write of '" + key + "' to " + backendId + " (" + where + ") lost to "
        + (currentVersion != null ? "version " + currentVersion : "a concurrent writer")
        + (expectedVersion != null ? ": it expected version " + expectedVersion + " to be current"
            : ": it expected the key to be absent")
        + "; nothing was overwritten. Check 'secrets versions " + key + "' and retry if the write is still wanted",
        null);
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }

  /** The key written. */
  public String key() {
    return key;
  }

  /** The version the write expected to replace; empty when it expected the key to be absent. */
  public Optional<String> expectedVersion() {
    return Optional.ofNullable(expectedVersion);
  }

  /** The version it lost to, when the store said. */
  public Optional<String> currentVersion() {
    return Optional.ofNullable(currentVersion);
  }
}
