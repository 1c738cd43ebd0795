package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.SecretsListener;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * Everything the builder collected, checked.
 *
 * @param scheduler null to use (and own) a default scheduler
 */
public record ResolverSettings(SecretsConfig config, Profile profile, boolean discover, ClassLoader classLoader,
    List<ExplicitBackend> backends, List<SecretBackendProvider> providers, Set<String> required,
    Duration refreshInterval, Duration maxStale, Duration negativeTtl, Clock clock, @Nullable TaskScheduler scheduler,
    List<SecretsListener> listeners, long maximumSize) {

  /** Copies collections. */
  public ResolverSettings {
    backends = List.copyOf(backends);
    providers = List.copyOf(providers);
    // in the order given: reports list missing keys in it (Set.copyOf would shuffle them per run)
    required = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(required));
    listeners = List.copyOf(listeners);
  }

  /** A backend given in code with its ordinal. */
  public record ExplicitBackend(SecretBackend backend, int ordinal) {}
}
