package org.nexusreussite.secrets.testkit.junit;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * One test's secrets, made by {@link SecretsTest}: the in-memory store, the manual clock and scheduler,
 * the resolver over them, and helpers that move time so that rotations and outages happen as they
 * would in production, without sleeps. Inject it as a test parameter.
 *
 * <p>The helpers run due refreshes on the calling thread (see {@link ManualScheduler}); call them from
 * the test's thread. The objects themselves are thread-safe.
 */
public final class SecretsFixture implements AutoCloseable {
  /**
   * What {@link #recover()} advances: the longest retry backoff of a failed refresh (20 s), so the
   * retry that finds the store healthy again has run.
   */
  public static final Duration RETRY_BOUND = Duration.ofSeconds(20);

  private final InMemorySecretBackend backend;
  private final ManualClock clock;
  private final ManualScheduler scheduler;
  private final SecretResolver resolver;
  private final Duration refresh;
  private final boolean installsDefault;
  private @Nullable SecretResolver previousDefault;
  private boolean installed;
  private boolean closed;

  SecretsFixture(InMemorySecretBackend backend, ManualClock clock, ManualScheduler scheduler,
      SecretResolver resolver, Duration refresh, boolean installsDefault) {
    this.backend = backend;
    this.clock = clock;
    this.scheduler = scheduler;
    this.resolver = resolver;
    this.refresh = refresh;
    this.installsDefault = installsDefault;
  }

  /** The test's resolver (the {@code Secrets} default during the test unless installDefault is false). */
  public SecretResolver resolver() {
    return resolver;
  }

  /** The test's in-memory store, for seeding, fault injection and call counters. */
  public InMemorySecretBackend backend() {
    return backend;
  }

  /** The test's clock. */
  public ManualClock clock() {
    return clock;
  }

  /** The test's scheduler: nothing runs until time is advanced. */
  public ManualScheduler scheduler() {
    return scheduler;
  }

  /** The refresh interval the resolver was built with. */
  public Duration refreshInterval() {
    return refresh;
  }

  /**
   * Writes a new version of {@code key} and advances time by one refresh interval, so the resolver
   * serves it and rotation listeners have fired when this returns, whether the store is watched or
   * polled.
   *
   * @return the new version's id
   */
  public String rotate(String key, String newValue) {
    String version = backend.put(key, newValue);
    scheduler.advance(refresh);
    return version;
  }

  /**
   * The store fails every call from now on ({@code BackendUnavailableException}, "simulated outage"),
   * until {@link #recover()}. Values already cached are served until max-stale.
   */
  public SecretsFixture outage() {
    String id = backend.id();
    backend.failAlways(() -> new BackendUnavailableException(id, "simulated outage (SecretsFixture.outage)"));
    return this;
  }

  /** {@link #outage()}, then advances time by {@code duration}, running the refreshes that fail. */
  public SecretsFixture outage(Duration duration) {
    outage();
    scheduler.advance(duration);
    return this;
  }

  /**
   * Ends an outage and advances time by {@link #RETRY_BOUND}, so the retried refreshes have reached the
   * store again.
   */
  public SecretsFixture recover() {
    backend.recover();
    scheduler.advance(RETRY_BOUND);
    return this;
  }

  /** Advances time by {@code amount}, running the refreshes that fall due. */
  public SecretsFixture advance(Duration amount) {
    scheduler.advance(Objects.requireNonNull(amount, "amount"));
    return this;
  }

  /** Installs the resolver as the {@code Secrets} default, remembering the previous one. */
  void install() {
    if (installsDefault && !installed) {
      previousDefault = Secrets.setDefault(resolver);
      installed = true;
    }
  }

  /** Restores the previous {@code Secrets} default and closes the resolver. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (installed) {
        Secrets.setDefault(previousDefault);
        installed = false;
      }
    } finally {
      resolver.close();
    }
  }

  @Override
  public String toString() {
    return "SecretsFixture[" + backend + ", " + clock + "]";
  }
}
