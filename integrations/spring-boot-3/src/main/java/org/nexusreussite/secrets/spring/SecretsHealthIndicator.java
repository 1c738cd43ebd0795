package org.nexusreussite.secrets.spring;

import org.nexusreussite.secrets.SecretResolver;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The actuator health entry {@code secrets} (Boot 3.5's health contract): one detail per active backend
 * (status, {@code stale}, detail, last success, last error), the profile, the number of required keys and those
 * that cannot be served. DOWN when a required key cannot be served or a backend is DOWN; a DEGRADED backend
 * (failing, serving stale values within max-stale) leaves it UP with {@code stale: true}. Never a value.
 */
public final class SecretsHealthIndicator implements HealthIndicator {
  private final SecretsHealth health;

  /** An indicator over {@code resolver}. */
  public SecretsHealthIndicator(SecretResolver resolver) {
    this.health = new SecretsHealth(resolver);
  }

  @Override
  public Health health() {
    SecretsHealth.Result r = health.check();
    return (r.down() ? Health.down() : Health.up()).withDetails(r.details()).build();
  }
}
