package org.nexusreussite.secrets.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * What {@code doctor} hands a provider when it asks it directly, outside a resolver: to list providers
 * when the resolver cannot be built (a bad setting, missing production secrets) and to probe each active
 * backend on its own, so one failing store does not hide the state of the others.
 */
final class ProbeContext implements BackendContext, AutoCloseable {
  private final String backendId;
  private final SecretsConfig config;
  private final Profile profile;
  private final ScheduledExecutorService executor;
  private final TaskScheduler scheduler;

  ProbeContext(String backendId, SecretsConfig config, Profile profile) {
    this.backendId = backendId;
    this.config = config;
    this.profile = profile;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "secrets-doctor-" + backendId);
      t.setDaemon(true);
      return t;
    });
    this.scheduler = (task, delay) -> {
      ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }

  @Override
  public String backendId() {
    return backendId;
  }

  @Override
  public SecretsConfig config() {
    return config;
  }

  @Override
  public Profile profile() {
    return profile;
  }

  @Override
  public TaskScheduler scheduler() {
    return scheduler;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets." + backendId);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
