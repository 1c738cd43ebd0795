package org.nexusreussite.secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
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
 * <p>Every bad argument, null included, is reported the same way: a {@link BackendConfigurationException}
 * whose message names the setting ({@code "Invalid setting maxStale: ..."}). A setter of one value
 * ({@code config}, {@code profile}, {@code refreshInterval}, {@code maxStale}, {@code negativeTtl},
 * {@code clock}, {@code scheduler}, {@code maximumSize}, {@code discover}) may be called once: a second
 * call throws, since silently keeping either value would hide a mistake. Setters that add
 * ({@code backend}, {@code provider}, {@code require}, {@code listener}) add on every call.
 *
 * <p>Values not set here come from {@link SecretsConfig} ({@code SECRETS_CACHE_REFRESH}, ...). Not
 * thread-safe; the resolver it builds is.
 */
public final class SecretResolverBuilder {
  private @Nullable SecretsConfig config;
  private @Nullable String profileName;
  private boolean discover;
  private @Nullable ClassLoader classLoader;
  private final List<ResolverSettings.ExplicitBackend> backends = new ArrayList<>();
  private final List<SecretBackendProvider> providers = new ArrayList<>();
  private final Set<String> required = new LinkedHashSet<>();
  private @Nullable Duration refreshInterval;
  private @Nullable Duration maxStale;
  private @Nullable Duration negativeTtl;
  private @Nullable Clock clock;
  private @Nullable TaskScheduler scheduler;
  private final List<SecretsListener> listeners = new ArrayList<>();
  private long maximumSize = -1;

  SecretResolverBuilder() {}

  /** Settings to read; default {@link SecretsConfig#fromEnvironment()}. Once only. */
  public SecretResolverBuilder config(SecretsConfig config) {
    requireUnset(this.config, "config");
    this.config = requireNonNull(config, "config");
    return this;
  }

  /** The profile, overriding {@code SECRETS_PROFILE} / {@code APP_ENV}. Once only. */
  public SecretResolverBuilder profile(String profile) {
    requireUnset(profileName, "profile");
    if (profile == null || profile.isBlank()) {
      throw BackendConfigurationException.setting("profile", "expected a profile name, got a blank one");
    }
    this.profileName = profile;
    return this;
  }

  /**
   * Adds every backend provider found with {@link java.util.ServiceLoader} (the built-in env backend
   * included) that is active in this environment, or those listed in {@code SECRETS_BACKENDS}, using the
   * thread's context class loader. Once only (this or {@link #discover(ClassLoader)}).
   */
  public SecretResolverBuilder discover() {
    if (discover) {
      throw alreadySet("discover");
    }
    this.discover = true;
    return this;
  }

  /** As {@link #discover()}, with this class loader. Once only. */
  public SecretResolverBuilder discover(ClassLoader loader) {
    discover();
    this.classLoader = requireNonNull(loader, "discover(loader)");
    return this;
  }

  /**
   * Adds a backend built in code, with its precedence (higher wins). It replaces a discovered provider with
   * the same id (logged at INFO), so a test can stand in for {@code vault} while the Vault jar is on the
   * class path; two backends given in code with one id are refused by {@link #build()}. Adds on every call.
   */
  public SecretResolverBuilder backend(SecretBackend backend, int ordinal) {
    backends.add(new ResolverSettings.ExplicitBackend(requireNonNull(backend, "backend"), ordinal));
    return this;
  }

  /**
   * Adds a provider given in code; it is asked for activation like a discovered one, and replaces a
   * discovered provider with the same id (logged at INFO). Adds on every call.
   */
  public SecretResolverBuilder provider(SecretBackendProvider provider) {
    providers.add(requireNonNull(provider, "provider"));
    return this;
  }

  /** Keys that must resolve, added to {@code SECRETS_REQUIRED} and {@code SECRETS_SCHEMA}. Adds on every call. */
  public SecretResolverBuilder require(String... keys) {
    for (String key : requireNonNull(keys, "require")) {
      if (!Keys.isValid(key)) {
        throw BackendConfigurationException.setting("require",
            "expected keys matching [A-Za-z_][A-Za-z0-9_.-]* of at most 256 characters");
      }
      required.add(key);
    }
    return this;
  }

  /** How soon a rotated value is picked up (default {@code SECRETS_CACHE_REFRESH} or 5 minutes). Once only. */
  public SecretResolverBuilder refreshInterval(Duration interval) {
    requireUnset(refreshInterval, "refreshInterval");
    this.refreshInterval = requirePositive(interval, "refreshInterval");
    return this;
  }

  /**
   * How long a value may be served after its backend started failing (default
   * {@code SECRETS_CACHE_MAX_STALE} or 1 hour); a hard bound. Once only.
   */
  public SecretResolverBuilder maxStale(Duration maxStale) {
    requireUnset(this.maxStale, "maxStale");
    this.maxStale = requireNonNegative(maxStale, "maxStale");
    return this;
  }

  /** How long "not found" is remembered (default {@code SECRETS_CACHE_NEGATIVE_TTL} or 30 seconds). Once only. */
  public SecretResolverBuilder negativeTtl(Duration ttl) {
    requireUnset(negativeTtl, "negativeTtl");
    this.negativeTtl = requireNonNegative(ttl, "negativeTtl");
    return this;
  }

  /** The clock for timestamps, refresh times and max-stale (default the system UTC clock). Once only. */
  public SecretResolverBuilder clock(Clock clock) {
    requireUnset(this.clock, "clock");
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The timer for refreshes (default two daemon threads, closed with the resolver). With the default,
   * refresh work runs on a separate pool, one lane per backend, so a store that hangs delays only its
   * own keys; a scheduler given here runs refresh work through its {@code execute}, one lane per backend
   * too. Once only.
   */
  public SecretResolverBuilder scheduler(TaskScheduler scheduler) {
    requireUnset(this.scheduler, "scheduler");
    this.scheduler = requireNonNull(scheduler, "scheduler");
    return this;
  }

  /** Adds a listener for lookups and backend failures (metrics, tracing). Adds on every call. */
  public SecretResolverBuilder listener(SecretsListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * The most keys the resolver keeps state for, found or not, scheduled work included (default 10,000).
   * Once only.
   */
  public SecretResolverBuilder maximumSize(long size) {
    if (maximumSize >= 0) {
      throw alreadySet("maximumSize");
    }
    if (size <= 0) {
      throw BackendConfigurationException.setting("maximumSize", "expected a positive number");
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
    ClassLoader loader = classLoader != null ? classLoader : Thread.currentThread().getContextClassLoader();
    return new ResolverSettings(cfg, profile, discover,
        loader != null ? loader : SecretResolverBuilder.class.getClassLoader(),
        backends, providers, required,
        refreshInterval != null ? refreshInterval
            : requirePositive(cfg.duration("SECRETS_CACHE_REFRESH", Duration.ofMinutes(5)), "SECRETS_CACHE_REFRESH"),
        maxStale != null ? maxStale
            : requireNonNegative(cfg.duration("SECRETS_CACHE_MAX_STALE", Duration.ofHours(1)),
                "SECRETS_CACHE_MAX_STALE"),
        negativeTtl != null ? negativeTtl
            : requireNonNegative(cfg.duration("SECRETS_CACHE_NEGATIVE_TTL", Duration.ofSeconds(30)),
                "SECRETS_CACHE_NEGATIVE_TTL"),
        clock != null ? clock : Clock.systemUTC(), scheduler, listeners,
        maximumSize > 0 ? maximumSize : 10_000);
  }

  private static <T> T requireNonNull(@Nullable T value, String setting) {
    if (value == null) {
      throw BackendConfigurationException.setting(setting, "expected a value, got null");
    }
    return value;
  }

  private static void requireUnset(@Nullable Object current, String setting) {
    if (current != null) {
      throw alreadySet(setting);
    }
  }

  private static BackendConfigurationException alreadySet(String setting) {
    return BackendConfigurationException.setting(setting, "was already set on this builder; set it once");
  }

  private static Duration requirePositive(@Nullable Duration d, String name) {
    Duration v = requireNonNull(d, name);
    if (v.isZero() || v.isNegative()) {
      throw BackendConfigurationException.setting(name, "expected a positive duration");
    }
    return v;
  }

  private static Duration requireNonNegative(@Nullable Duration d, String name) {
    Duration v = requireNonNull(d, name);
    if (v.isNegative()) {
      throw BackendConfigurationException.setting(name, "expected a duration that is not negative");
    }
    return v;
  }
}
