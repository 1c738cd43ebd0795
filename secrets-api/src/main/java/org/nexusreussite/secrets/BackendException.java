package org.nexusreussite.secrets;

import org.jspecify.annotations.Nullable;

/**
 * A failure attributed to one backend: it could not be asked, refused us, or answered something unusable.
 * {@link #backendId()} names it.
 */
public abstract class BackendException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String backendId;

  protected BackendException(String backendId, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.backendId = backendId;
  }

  /** The id of the backend that failed, e.g. {@code vault}. Never null. */
  public String backendId() {
    return backendId;
  }
}
