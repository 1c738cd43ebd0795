package org.nexusreussite.secrets.spring;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * The Spring Cloud refresh bridge: after rotations, publishes one {@link EnvironmentChangeEvent} naming the
 * rotated keys (Spring Cloud's {@code ConfigurationPropertiesRebinder} then rebinds every
 * {@code @ConfigurationProperties} bean) and refreshes the {@link RefreshScope} (its beans are rebuilt on next
 * use). Debounced: a burst of rotations with gaps shorter than the debounce window (default 1 s,
 * {@code nexus.secrets.spring.refresh-debounce}) causes one refresh, at most ten windows after its first.
 *
 * <p>Spring Cloud's {@code ContextRefresher.refresh()} is not used: it reloads every config-data location,
 * which would build a second resolver; our property source is live already, so only the rebind is needed.
 * The pending key set is bounded ({@link ServedKeys#MAX_KEYS}); one daemon thread runs the refreshes.
 */
final class SecretsContextRefresher implements ApplicationListener<SecretRotatedEvent>, DisposableBean {
  private static final System.Logger LOG = System.getLogger(SecretsContextRefresher.class.getName());

  private final ApplicationEventPublisher publisher;
  private final Object source;
  private final ObjectProvider<RefreshScope> refreshScope;
  private final Duration debounce;
  private final ScheduledExecutorService executor;
  private final Object lock = new Object();
  private Set<String> pending = new LinkedHashSet<>();
  private boolean scheduled;
  private long firstNanos;
  private long lastNanos;

  SecretsContextRefresher(ApplicationEventPublisher publisher, Object source, ObjectProvider<RefreshScope> refreshScope,
      Duration debounce) {
    this.publisher = publisher;
    this.source = source;
    this.refreshScope = refreshScope;
    this.debounce = debounce;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nexus-secrets-context-refresh");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void onApplicationEvent(SecretRotatedEvent event) {
    long now = System.nanoTime();
    synchronized (lock) {
      if (pending.size() < ServedKeys.MAX_KEYS) {
        pending.add(event.key());
      }
      lastNanos = now;
      if (scheduled) {
        return;
      }
      scheduled = true;
      firstNanos = now;
    }
    executor.schedule(this::refreshWhenQuiet, debounce.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Refreshes once no rotation came for the debounce window, or at the latest ten windows after the first
   * rotation of the burst, so that a store rotating without pause still reaches the beans.
   */
  private void refreshWhenQuiet() {
    Set<String> keys;
    synchronized (lock) {
      long now = System.nanoTime();
      long quietFor = now - lastNanos;
      long waited = now - firstNanos;
      if (quietFor < debounce.toNanos() && waited < 10 * debounce.toNanos()) {
        executor.schedule(this::refreshWhenQuiet, debounce.toNanos() - quietFor, TimeUnit.NANOSECONDS);
        return;
      }
      keys = pending;
      pending = new LinkedHashSet<>();
      scheduled = false;
    }
    try {
      publisher.publishEvent(new EnvironmentChangeEvent(source, keys));
      @Nullable RefreshScope scope = refreshScope.getIfAvailable();
      if (scope != null) {
        scope.refreshAll();
      }
      LOG.log(Level.DEBUG, () -> "Refreshed the context after rotation of " + keys);
    } catch (RuntimeException e) {
      // a rebind failure names the property (Spring's messages), never the secret's value; log the type only
      LOG.log(Level.WARNING, "Context refresh after rotation of " + keys + " failed: " + e.getClass().getName());
    }
  }

  @Override
  public void destroy() {
    executor.shutdownNow();
  }
}
