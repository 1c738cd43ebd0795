package org.nexusreussite.secrets.resolver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.nexusreussite.secrets.SecretResolverBuilder;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** A resolver on a manual clock and scheduler, isolated from the machine's environment. */
class ResolverFixture {

  static final Duration REFRESH = Duration.ofMinutes(5);
  static final Duration MAX_STALE = Duration.ofHours(1);
  static final Duration NEGATIVE_TTL = Duration.ofSeconds(30);

  final ManualClock clock = new ManualClock();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final Map<String, String> settings = new HashMap<>();

  InMemorySecretBackend backend(String id) {
    return new InMemorySecretBackend(id, java.util.EnumSet.allOf(org.nexusreussite.secrets.spi.Capability.class),
        clock);
  }

  SecretResolverBuilder builder() {
    return SecretResolver.builder()
        .config(SecretsConfig.of(settings))
        .clock(clock)
        .scheduler(scheduler)
        .refreshInterval(REFRESH)
        .maxStale(MAX_STALE)
        .negativeTtl(NEGATIVE_TTL);
  }
}
