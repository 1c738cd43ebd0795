package org.nexusreussite.secrets;

/**
 * Told once per change of a group of keys, with all of the group's new values read together (for example
 * a database user and its password, so a pool never pairs the user of one generation with the password
 * of the next). Called on a refresh thread, or on the thread that pinned, rolled back or refreshed: return
 * quickly. An exception thrown here is logged (type only) and does not stop other listeners.
 */
@FunctionalInterface
public interface SecretGroupListener {
  /** One or more keys of the group changed; {@code current} holds every key's new value. */
  void onRotation(SecretGroup current);
}
