package org.nexusreussite.secrets.k8s;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nexusreussite.secrets.SecretValue;

/**
 * Remembers, per stored value, the store version in which this process first saw it, so that a key's
 * version changes only when its own value changes.
 *
 * <p>Why: a Kubernetes Secret (and the volume built from it) is versioned as a whole: updating one key
 * gives every key a new resourceVersion or timestamped folder. Reporting that whole-object version per
 * key would make the resolver fire rotation listeners for keys whose value did not change (a database
 * pool reconnecting because an unrelated API key rotated). Only the value's fingerprint is kept, never
 * the value. Thread-safe.
 */
final class VersionMemory {
  private record Seen(String fingerprint, String versionId) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /**
   * The version id to report for {@code value} of the entry named {@code slot}, read from the store
   * version {@code storeVersion}.
   */
  String versionOf(String slot, SecretValue value, String storeVersion) {
    String fingerprint = value.fingerprint();
    return seen.compute(slot, (k, previous) ->
        previous != null && previous.fingerprint().equals(fingerprint) ? previous : new Seen(fingerprint,
            storeVersion)).versionId();
  }
}
