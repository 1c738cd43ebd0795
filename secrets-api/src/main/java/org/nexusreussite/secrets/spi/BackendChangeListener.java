package org.nexusreussite.secrets.spi;

import java.util.Set;

/** Told by a {@link SecretBackend} with the {@link Capability#WATCH} capability that keys changed. */
@FunctionalInterface
public interface BackendChangeListener {
  /**
   * Some keys may have new values.
   *
   * @param keys the keys that changed, or an empty set when the backend cannot tell which
   */
  void changed(Set<String> keys);
}
