package org.nexusreussite.secrets;

import org.jspecify.annotations.Nullable;

/**
 * Root of every exception the SDK throws. Unchecked.
 *
 * <p>Messages name the key, the backend, what was searched and what to do next. They never contain a
 * secret value: the SDK builds every message from keys, backend ids, paths and settings names only.
 */
public class SecretsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that carries no secret value. */
  public SecretsException(String message) {
    super(message);
  }

  /** Creates an exception keeping its cause. */
  public SecretsException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
