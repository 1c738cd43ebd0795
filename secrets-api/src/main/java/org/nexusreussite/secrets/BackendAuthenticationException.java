package org.nexusreussite.secrets;

import org.jspecify.annotations.Nullable;

/**
 * The backend was reached but refused our credentials or lacks a permission (HTTP 401/403, expired
 * token, missing IAM action). The message says which credential or permission to check.
 */
public class BackendAuthenticationException extends BackendException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; {@code message} must not contain a secret value or a token. */
  public BackendAuthenticationException(String backendId, String message) {
    super(backendId, message, null);
  }

  /** Creates the exception keeping its cause. */
  public BackendAuthenticationException(String backendId, String message, @Nullable Throwable cause) {
    super(backendId, message, cause);
  }
}
