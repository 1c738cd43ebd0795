package org.nexusreussite.secrets.spring;

import org.nexusreussite.secrets.SecretRotation;
import org.springframework.context.ApplicationEvent;

/**
 * Published in the application context each time a secret's served value or version changes: a rotation
 * picked up by refresh, a pin, a rollback, or a change pushed by a watching backend. Carries the key and the
 * {@link SecretRotation} (versions and backend); {@code toString()} never shows a value.
 *
 * <p>Published on the thread that saw the change (a resolver refresh thread), so listeners must not block
 * for long; use {@code @Async} for slow work.
 */
public final class SecretRotatedEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;
  private final transient SecretRotation rotation;

  /** Creates the event. */
  public SecretRotatedEvent(Object source, SecretRotation rotation) {
    super(source);
    this.rotation = rotation;
  }

  /** The rotated key. */
  public String key() {
    return rotation.key();
  }

  /** The rotation: previous and current secret (versions, backend), never printing a value. */
  public SecretRotation rotation() {
    return rotation;
  }

  @Override
  public String toString() {
    return "SecretRotatedEvent[" + rotation + "]";
  }
}
