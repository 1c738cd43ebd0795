package org.nexusreussite.secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nexusreussite.secrets.internal.AssemblyPlans;
import org.nexusreussite.secrets.internal.CompositeSecretResolver;
import org.nexusreussite.secrets.internal.ResolverSettings;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * Builds a {@link SecretResolver}. Each setter checks its argument at once; {@link #build()} checks the
 * combination, creates the backends and, in a strict profile, validates required secrets.
 *
 * <pre>{@code
 * SecretResolver resolver = SecretResolver.builder()
 *     .discover()
 *     .require("DATABASE_URL", "JWT_SECRET_KEY")
 *     .refreshInterval(Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 *
 * <p>Values not set here come from {@link SecretsConfig} ({@code SECRETS_CACHE_REFRESH}, ...). Not
 * thread-safe; the resolver it builds is.
 */
public final class SecretResolverBuilder {
  private SecretsConfig config;
  private String profileName;
  private boolean discover;
  private ClassLoader classLoader;
  private final List<ResolverSettings.ExplicitBackend> backends = new ArrayList<>();
  private final List<SecretBackendProvider> providers = new ArrayList<>();
  private final Set<String> required = new LinkedHashSet<>();
  private Duration refreshInterval;
  private Duration maxStale;
  private Duration negativeTtl;
  private Clock clock;
  private TaskScheduler scheduler;
  private final List<SecretsListener> listeners = new ArrayList<>();
  private long maximumSize = 10_000;

  SecretResolverBuilder() {}

  /** Settings to read; default {@link SecretsConfig#fromEnvironment()}. */
  public SecretResolverBuilder config(SecretsConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /** The profile, overriding {@code SECRETS_PROFILE} / {@code APP_ENV}. */
  public SecretResolverBuilder profile(String profile) {
    if (profile == null || profile.isBlank()) {
      throw new IllegalArgumentException("profile must not be blank");
    }
    this.profileName = profile;
    return this;
  }

  /**
   * Adds every backend provider found with {@link java.util.ServiceLoader} (the built-in env backend
   * included) that is active in this environment, or those listed in {@code SECRETS_BACKENDS}.
   */
  public SecretResolverBuilder discover() {
    this.discover = true;
    return this;
  }

  /** Discovers providers with this class loader (default: the thread's context class loader). */
  public SecretResolverBuilder discover(ClassLoader loader) {
    this.classLoader = Objects.requireNonNull(loader, "loader");
    this.discover = true;
    return this;
  }

  /**
   * Adds a backend built in code, with its precedence (higher wins). It replaces a discovered provider with
   * the same id (logged at INFO), so a test can stand in for {@code vault} while the Vault jar is on the
   * class path; two backends given in code with one id are refused by {@link #build()}.
   */
  public SecretResolverBuilder backend(SecretBackend backend, int ordinal) {
    backends.add(new ResolverSettings.ExplicitBackend(Objects.requireNonNull(backend, "backend"), ordinal));
    return this;
  }

  /**
   * Adds a provider given in code; it is asked for activation like a discovered one, and replaces a
   * discovered provider with the same id (logged at INFO).
   */
  public SecretResolverBuilder provider(SecretBackendProvider provider) {
    providers.add(Objects.requireNonNull(provider, "provider"));
    return this;
  }

  /** Keys that must resolve; added to {@code SECRETS_REQUIRED} and {@code SECRETS_SCHEMA}. */
  public SecretResolverBuilder require(String... keys) {
    for (String key : keys) {
      required.add(Keys.requireValid(key));
    }
    return this;
  }

  /** How soon a rotated value is picked up (default {@code SECRETS_CACHE_REFRESH} or 5 minutes). */
  public SecretResolverBuilder refreshInterval(Duration interval) {
    this.refreshInterval = requirePositive(interval, "refreshInterval");
    return this;
  }

  /** How long a value may be served while its backend fails (default {@code SECRETS_CACHE_MAX_STALE} or 1 hour). */
  public SecretResolverBuilder maxStale(Duration maxStale) {
    this.maxStale = requireNonNegative(maxStale, "maxStale");
    return this;
  }

  /** How long "not found" is remembered (default {@code SECRETS_CACHE_NEGATIVE_TTL} or 30 seconds). */
  public SecretResolverBuilder negativeTtl(Duration ttl) {
    this.negativeTtl = requireNonNegative(ttl, "negativeTtl");
    return this;
  }

  /** The clock for timestamps and staleness (default the system UTC clock). */
  public SecretResolverBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** The scheduler for refreshes (default a pool of two daemon threads, closed with the resolver). */
  public SecretResolverBuilder scheduler(TaskScheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** Adds a listener for lookups, rotations and failures (metrics, tracing). */
  public SecretResolverBuilder listener(SecretsListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** The most secrets kept in the cache (default 10,000). */
  public SecretResolverBuilder maximumSize(long size) {
    if (size <= 0) {
      throw new IllegalArgumentException("maximumSize must be positive");
    }
    this.maximumSize = size;
    return this;
  }

  /**
   * Builds the resolver.
   *
   * @throws MissingSecretsException in a strict profile when required secrets do not resolve
   * @throws BackendConfigurationException when a setting is wrong, a provider id is duplicated, or a
   *     setting names a backend whose jar is missing in a strict profile
   */
  public SecretResolver build() {
    return CompositeSecretResolver.create(settings());
  }

  /**
   * What {@link #build()} would assemble from this builder, without creating any backend: the same
   * discovery, activation, {@code SECRETS_<ID>_ORDINAL} and {@code SECRETS_BACKENDS} code, so a diagnostic
   * tool cannot disagree with the resolver. Problems that would make {@code build()} fail are reported in
   * {@link ResolverPlan#problems()} rather than thrown.
   *
   * @throws BackendConfigurationException when a provider on the class path cannot be loaded or two
   *     discovered providers claim one id (no plan can list them)
   */
  public ResolverPlan plan() {
    return AssemblyPlans.of(settings());
  }

  private ResolverSettings settings() {
    SecretsConfig cfg = config != null ? config : SecretsConfig.fromEnvironment();
    Profile profile = profileName != null ? Profile.named(profileName, cfg) : Profile.from(cfg);
    return new ResolverSettings(cfg, profile, discover,
        classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader(),
        backends, providers, required,
        refreshInterval != null ? refreshInterval
            : requirePositive(cfg.duration("SECRETS_CACHE_REFRESH", Duration.ofMinutes(5)), "SECRETS_CACHE_REFRESH"),
        maxStale != null ? maxStale : cfg.duration("SECRETS_CACHE_MAX_STALE", Duration.ofHours(1)),
        negativeTtl != null ? negativeTtl : cfg.duration("SECRETS_CACHE_NEGATIVE_TTL", Duration.ofSeconds(30)),
        clock != null ? clock : Clock.systemUTC(), scheduler, listeners, maximumSize);
  }

  private static Duration requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw BackendConfigurationException.setting(name, "expected a positive duration");
    }
    return d;
  }

  private static Duration requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw BackendConfigurationException.setting(name, "expected a duration that is not negative");
    }
    return d;
  }
}
