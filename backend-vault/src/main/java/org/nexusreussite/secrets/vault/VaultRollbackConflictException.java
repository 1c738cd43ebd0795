package org.nexusreussite.secrets.vault;

import org.nexusreussite.secrets.BackendException;

/**
 * A rollback lost a race: between reading the current version and writing the old data back, someone
 * else wrote the path, so Vault's check-and-set refused the write and nothing was overwritten. Read the
 * versions again and retry if the rollback is still wanted.
 */
public final class VaultRollbackConflictException extends BackendException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final long expectedVersion;
  private final long currentVersion;

  /**
   * Creates the exception.
   *
   * @param currentVersion the version found after the refusal, or 0 when it could not be read
   */
  public VaultRollbackConflictException(String backendId, String key, String path, long expectedVersion,
      long currentVersion) {
    super(backendId, "Rollback of '" + key + "' in Vault path '" + path + "' was refused by check-and-set: "
        + (currentVersion > 0 ? "someone else wrote version " + currentVersion : "someone else wrote a new version")
        + " after version " + expectedVersion + " was read, and it was not overwritten. Check the versions "
        + "(secrets versions " + key + ") and retry the rollback if it is still wanted", null);
    this.path = path;
    this.expectedVersion = expectedVersion;
    this.currentVersion = currentVersion;
  }

  /** The Vault path. */
  public String path() {
    return path;
  }

  /** The version the rollback expected to be current. */
  public long expectedVersion() {
    return expectedVersion;
  }

  /** The version that was current after the refusal, or 0 when unknown. */
  public long currentVersion() {
    return currentVersion;
  }
}
