package org.nexusreussite.secrets.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.ValidationReport;

/**
 * What the actuator health entry {@code secrets} reports, without Spring's health types (which moved between
 * Boot 3.5 and 4.0; {@code SecretsHealthIndicator} adapts it to each line): one detail per active backend (status, detail, last success,
 * last error), the profile, and the required keys that cannot be served. DOWN when a required key cannot be
 * served or a backend is DOWN (failing with nothing left to serve); a DEGRADED backend (failing, stale values
 * served within max-stale) leaves the entry UP and shows as {@code stale} in its detail. Asks no store beyond
 * what serving required keys needs (cache hits). Never a value.
 */
final class SecretsHealth {
  private final SecretResolver resolver;

  /** The result: whether the entry is DOWN, and its details. */
  record Result(boolean down, Map<String, Object> details) {}

  SecretsHealth(SecretResolver resolver) {
    this.resolver = resolver;
  }

  Result check() {
    List<BackendHealth> backends = resolver.inspect().health();
    ValidationReport report = resolver.inspect().validate();
    boolean down = !report.valid();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("profile", report.profile().name());
    Map<String, Object> perBackend = new LinkedHashMap<>();
    for (BackendHealth h : backends) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("status", h.status().name());
      d.put("stale", h.status() == BackendHealth.Status.DEGRADED);
      d.put("detail", h.detail());
      h.lastSuccess().ifPresent(t -> d.put("lastSuccess", t.toString()));
      h.lastError().ifPresent(e -> d.put("lastError", e));
      perBackend.put(h.backendId(), d);
      down |= h.status() == BackendHealth.Status.DOWN;
    }
    details.put("backends", perBackend);
    details.put("required", report.required().size());
    if (!report.valid()) {
      details.put("missing", report.missingKeys());
    }
    return new Result(down, details);
  }
}
