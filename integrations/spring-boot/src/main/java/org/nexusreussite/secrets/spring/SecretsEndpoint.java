package org.nexusreussite.secrets.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretResolver;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The read-only actuator endpoint {@code secrets}: {@code GET /actuator/secrets} is the resolver's
 * {@code describe()} (profile, backends with activation and search order, required keys, pins, cache settings,
 * warnings), {@code GET /actuator/secrets/{key}} is {@code explain(key)} (backend, version, fetch time, cache
 * state, next refresh, pin). No values and no fingerprints; nothing here changes what is served. Expose it
 * with {@code management.endpoints.web.exposure.include=health,secrets}.
 */
@Endpoint(id = "secrets")
public final class SecretsEndpoint {
  private final SecretResolver resolver;

  /** An endpoint over {@code resolver}. */
  public SecretsEndpoint(SecretResolver resolver) {
    this.resolver = resolver;
  }

  /** The resolver's description. */
  @ReadOperation
  public Map<String, Object> describe() {
    ResolverDescription d = resolver.inspect().describe();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("profile", d.profile().name());
    out.put("strict", d.profile().strict());
    List<Map<String, Object>> backends = new ArrayList<>();
    for (ResolverDescription.BackendDescription b : d.backends()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", b.id());
      m.put("active", b.active());
      m.put("ordinal", b.ordinal());
      m.put("description", b.description());
      m.put("reason", b.reason());
      m.put("source", b.source());
      m.put("capabilities", b.capabilities().stream().map(Enum::name).sorted().toList());
      backends.add(m);
    }
    out.put("backends", backends);
    out.put("required", d.required());
    out.put("pins", d.pins());
    out.put("refreshInterval", d.refreshInterval().toString());
    out.put("maxStale", d.maxStale().toString());
    out.put("negativeTtl", d.negativeTtl().toString());
    out.put("warnings", d.warnings());
    return out;
  }

  /**
   * Where {@code key}'s value comes from; asks no backend. A name that is not a valid key is answered with
   * an {@code error} entry.
   */
  @ReadOperation
  public Map<String, Object> explain(@Selector String key) {
    if (!Keys.isValid(key)) {
      return Map.of("error", "not a valid key name: letters, digits, '_', '.', '-', not starting with a digit");
    }
    SecretExplanation e = resolver.inspect().explain(key);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", e.key());
    out.put("cacheState", e.cacheState().name());
    e.backend().ifPresent(b -> out.put("backend", b));
    e.version().ifPresent(v -> {
      out.put("version", v.id());
      out.put("stages", List.copyOf(v.stages()));
    });
    e.fetchedAt().ifPresent(t -> out.put("fetchedAt", t.toString()));
    e.refreshDue().ifPresent(t -> out.put("refreshDue", t.toString()));
    out.put("pinnedVersion", e.pinnedVersion().orElse("none"));
    e.lastError().ifPresent(err -> out.put("lastError", err));
    return out;
  }
}
