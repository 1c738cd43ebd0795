package org.nexusreussite.secrets;

/**
 * Told when a key's value or version really changes; never on a refresh that found the same value and
 * version. Called on a refresh thread: return quickly. An exception thrown here is logged (without the
 * value) and does not stop other listeners.
 */
@FunctionalInterface
public interface SecretRotationListener {
  /** The key's served secret changed. */
  void onRotation(SecretRotation rotation);
}
