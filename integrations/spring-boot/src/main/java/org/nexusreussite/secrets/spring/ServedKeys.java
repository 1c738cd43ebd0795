package org.nexusreussite.secrets.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /** How many values a key had before its latest rotations are remembered, besides its first value. */
  static final int RETIRED_PER_KEY = 2;

  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final Map<String, Retired> retired = new ConcurrentHashMap<>();

  /**
   * A key's first value (what beans bound at start-up hold until something rebinds them, however many rotations
   * later) and the values it had before its latest rotations (beans rebound in between).
   */
  private record Retired(String first, List<String> recent) {}

  void add(String key) {
    if (!keys.contains(key) && keys.size() < MAX_KEYS) {
      keys.add(key);
    }
  }

  List<String> snapshot() {
    return List.copyOf(keys);
  }

  /**
   * Remembers the value a served key had before a rotation: a bean bound before the rotation and not rebound
   * (no Spring Cloud refresh) still holds it, and actuator responses must mask it too. Per known key: its
   * first value and the {@link #RETIRED_PER_KEY} latest earlier ones.
   */
  void retire(String key, String previousValue) {
    if (!keys.contains(key) || previousValue.isEmpty()) {
      return;
    }
    retired.compute(key, (k, old) -> {
      List<String> next = new ArrayList<>(RETIRED_PER_KEY);
      next.add(previousValue);
      if (old != null) {
        for (String v : old.recent()) {
          if (next.size() < RETIRED_PER_KEY && !v.equals(previousValue)) {
            next.add(v);
          }
        }
      }
      return new Retired(old == null ? previousValue : old.first(), List.copyOf(next));
    });
  }

  /** The remembered earlier values of every served key. */
  List<String> retiredValues() {
    List<String> all = new ArrayList<>();
    for (Retired r : retired.values()) {
      all.addAll(r.recent());
      if (!r.recent().contains(r.first())) {
        all.add(r.first());
      }
    }
    return all;
  }
}
