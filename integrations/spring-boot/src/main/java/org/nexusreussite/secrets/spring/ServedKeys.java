package org.nexusreussite.secrets.spring;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys the property source has served, so that actuator responses can mask their values wherever they
 * show up and the metrics can count stale ones. Bounded: past {@link #MAX_KEYS} keys, new ones are not
 * remembered (an application with that many secret properties is not one we mask by value).
 * Thread-safe; a read of a known key takes no lock and allocates nothing.
 */
final class ServedKeys {
  /** The bound on remembered keys. */
  static final int MAX_KEYS = 4096;

  private final Set<String> keys = ConcurrentHashMap.newKeySet();

  void add(String key) {
    if (!keys.contains(key) && keys.size() < MAX_KEYS) {
      keys.add(key);
    }
  }

  List<String> snapshot() {
    return List.copyOf(keys);
  }
}
