package org.nexusreussite.secrets;

import org.jspecify.annotations.Nullable;

/**
 * The backend could not be asked: unreachable, timed out, sealed, throttled past the retries, or
 * answering garbage. The message names the address and says to check connectivity.
 */
public class BackendUnavailableException extends BackendException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} must not contain a secret value. */
  public BackendUnavailableException(String backendId, String message) {
    super(backendId, message, null);
  }

  /** Creates the exception keeping its cause. */
  public BackendUnavailableException(String backendId, String message, @Nullable Throwable cause) {
    super(backendId, message, cause);
  }
}
