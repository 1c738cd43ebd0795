package org.nexusreussite.secrets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nexusreussite.secrets.internal.Durations;
import org.nexusreussite.secrets.spi.Capability;

/**
 * What {@link SecretResolver#describe()} reports: the profile, every provider found with its activation
 * (active, or inactive with the reason) and the jar it came from, the search order, required keys,
 * pins, cache settings and warnings; each active backend's line says whether it is writable
 * ({@link Capability#WRITE}). Never a value. Immutable.
 *
 * @param profile the profile
 * @param backends every provider, active ones first in search order
 * @param required the required keys
 * @param pins key -> pinned version
 * @param refreshInterval the cache refresh interval
 * @param maxStale how long stale values are served while a backend fails
 * @param negativeTtl how long "not found" is remembered
 * @param warnings warnings found while building (readable .env, settings for missing backends, ...)
 */
public record ResolverDescription(Profile profile, List<BackendDescription> backends, List<String> required,
    Map<String, String> pins, Duration refreshInterval, Duration maxStale, Duration negativeTtl,
    List<String> warnings) {

  /** Copies the collections. */
  public ResolverDescription {
    backends = List.copyOf(backends);
    required = List.copyOf(required);
    pins = Map.copyOf(pins);
    warnings = List.copyOf(warnings);
  }

  /**
   * One provider.
   *
   * @param id the backend id
   * @param ordinal its precedence (higher wins)
   * @param active whether it takes part
   * @param reason why it is active or not
   * @param description what it reads, e.g. {@code vault[secret/nexus-reussite]} (the id when inactive)
   * @param source the jar or folder the provider came from
   * @param capabilities what it can do (empty when inactive)
   */
  public record BackendDescription(String id, int ordinal, boolean active, String reason, String description,
      String source, Set<Capability> capabilities) {
    /** Copies the capabilities. */
    public BackendDescription {
      capabilities = Set.copyOf(capabilities);
    }
  }

  /** A human report, one backend per line. */
  @Override
  public String toString() {
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder("profile: ").append(profile.name())
        .append(profile.strict() ? " (strict)" : "").append(nl).append("backends (search order):").append(nl);
    for (BackendDescription b : backends) {
      sb.append(b.active() ? "  + " : "  - ").append(b.id()).append(" [ordinal ").append(b.ordinal()).append("] ")
          .append(b.active() ? b.description() + ": " : "inactive: ").append(b.reason())
          .append(b.active() ? (b.capabilities().contains(Capability.WRITE) ? ", writable" : ", read-only") : "")
          .append(" (from ").append(b.source()).append(')').append(nl);
    }
    sb.append("required: ").append(required.isEmpty() ? "none" : String.join(", ", required)).append(nl);
    if (!pins.isEmpty()) {
      sb.append("pins: ").append(pins).append(nl);
    }
    sb.append("cache: refresh ").append(Durations.format(refreshInterval)).append(", max stale ")
        .append(Durations.format(maxStale)).append(", negative ttl ").append(Durations.format(negativeTtl));
    for (String w : warnings) {
      sb.append(nl).append("warning: ").append(w);
    }
    return sb.toString();
  }
}
