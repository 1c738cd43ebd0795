package org.nexusreussite.secrets.spi;

import org.jspecify.annotations.Nullable;
import java.time.Clock;
import java.util.Objects;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.internal.SimpleBackendContext;

/**
 * What a provider is given to decide activation and to build its backend: configuration, the profile,
 * a shared scheduler, a clock and a logger. Thread-safe.
 *
 * <p>The resolver builds one for each provider it finds. To build a backend in code (a test, or an
 * application that configures in code rather than with settings), build the context with
 * {@link #builder(String)} and hand it to the backend's provider; this is the one way that works for
 * every backend:
 *
 * <pre>{@code
 * SecretBackend vault = new VaultBackendProvider().create(BackendContext.builder("vault")
 *     .config(SecretsConfig.of(Map.of("VAULT_ADDR", "https://vault:8200", "VAULT_PATH", "secret/app")))
 *     .build());
 * SecretResolver resolver = SecretResolver.builder().backend(vault, 300).build();
 * }</pre>
 */
public interface BackendContext {

  /**
   * A builder of a context for the backend {@code backendId}, for building a backend in code.
   *
   * @throws IllegalArgumentException when the id is blank
   */
  static Builder builder(String backendId) {
    return new Builder(backendId);
  }

  /** The id of the provider being asked. */
  String backendId();

  /** Settings from system properties, environment and {@code secrets.properties}. */
  SecretsConfig config();

  /** The active profile ({@code development}, {@code production}, ...). */
  Profile profile();

  /** The scheduler shared by the resolver and its backends. */
  TaskScheduler scheduler();

  /** The clock to timestamp fetches with; tests inject a fake. */
  Clock clock();

  /** A logger named after the backend, e.g. {@code org.nexusreussite.secrets.vault}. */
  System.Logger logger();

  /**
   * Fails fast in a strict profile when {@code endpoint} is not {@code https://}.
   *
   * @param setting the setting that holds the endpoint, for the message
   * @throws org.nexusreussite.secrets.BackendConfigurationException in a strict profile with an
   *     {@code http://} endpoint
   */
  default void requireHttpsInStrictProfile(String setting, @Nullable String endpoint, String storeName) {
    if (profile().strict() && endpoint != null && !endpoint.regionMatches(true, 0, "https://", 0, 8)) {
      throw new org.nexusreussite.secrets.BackendConfigurationException(backendId(),
          storeName + " address must use HTTPS in production (" + setting + " is not https:// in profile '"
              + profile().name() + "')");
    }
  }

  /**
   * Builds a {@link BackendContext}. Each setter checks its argument at once; a second call to a setter
   * replaces the first value. Not thread-safe; the context it builds is.
   */
  final class Builder {
    private final String backendId;
    private @Nullable SecretsConfig config;
    private @Nullable Profile profile;
    private @Nullable TaskScheduler scheduler;
    private @Nullable Clock clock;

    private Builder(String backendId) {
      Objects.requireNonNull(backendId, "backendId");
      if (backendId.isBlank() || !Keys.isValid(backendId)) {
        throw new IllegalArgumentException("backendId must be a backend id such as 'vault', was '" + backendId + "'");
      }
      this.backendId = backendId;
    }

    /** The settings the provider reads (default {@link SecretsConfig#fromEnvironment()}). */
    public Builder config(SecretsConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The profile (default {@link Profile#from(SecretsConfig)} of the configuration). */
    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /**
     * The scheduler for the backend's background work, such as Vault token renewal (default: one
     * process-wide pool of two daemon threads, started on first use and kept for the life of the process;
     * pass your own to control its lifetime, e.g. the one the resolver is given).
     */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** The clock to timestamp fetches with (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The context, with defaults for what was not set. */
    public BackendContext build() {
      SecretsConfig cfg = config != null ? config : SecretsConfig.fromEnvironment();
      return new SimpleBackendContext(backendId, cfg, profile != null ? profile : Profile.from(cfg),
          scheduler != null ? scheduler : SimpleBackendContext.sharedScheduler(),
          clock != null ? clock : Clock.systemUTC());
    }
  }
}
