package org.nexusreussite.secrets.jwt;

import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretsException;

/**
 * A key ring's secret cannot be used as a key: too short for the algorithm, not in the configured encoding,
 * not a PEM private key. The message names the key, its version, the backend and what to change; it never
 * contains key material, and a cause from the JDK's key parsers is kept only by its type.
 */
public class KeyRingException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** With a message that names the key and what to do, never a value. */
  public KeyRingException(String message) {
    super(message);
  }

  /** With a cause that must not carry key material either. */
  public KeyRingException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
