package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.util.Objects;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * The context handed to providers, by the resolver and by {@link BackendContext#builder(String)}. Public only
 * so the {@code spi} package can build it; this package is not exported.
 */
public record SimpleBackendContext(String backendId, SecretsConfig config, Profile profile, TaskScheduler scheduler,
    Clock clock) implements BackendContext {

  /** Checks the parts. */
  public SimpleBackendContext {
    Objects.requireNonNull(backendId, "backendId");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(clock, "clock");
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets." + backendId);
  }

  /**
   * The scheduler of contexts built in code without one: created on first use, daemon threads, never shut
   * down (a backend built in code may outlive any owner we could pick).
   */
  public static TaskScheduler sharedScheduler() {
    return Shared.SCHEDULER;
  }

  private static final class Shared {
    static final DefaultTaskScheduler SCHEDULER = new DefaultTaskScheduler();
  }
}
