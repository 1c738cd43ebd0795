package org.nexusreussite.secrets.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsListener.Outcome;

/**
 * Micrometer meters of the resolver; names lowercase-dotted, tags only backend ids and outcomes (never a key,
 * a value or a fingerprint):
 * <ul>
 *   <li>{@code nexus.secrets.lookups} (timer; tags {@code backend}, {@code outcome} found / not_found /
 *       error): backend lookups made by loads and refreshes, with their time; cache hits are not lookups;</li>
 *   <li>{@code nexus.secrets.refreshes} (timer; tags {@code backend}, {@code outcome} success / failure): refresh
 *       batches (one backend's due keys in one request), scheduled or asked for, with their time;</li>
 *   <li>{@code nexus.secrets.backend.failures} (counter; tag {@code backend});</li>
 *   <li>{@code nexus.secrets.rotations} (counter): changes of a served value or version;</li>
 *   <li>{@code nexus.secrets.stale.entries} (gauge): served properties whose backend is failing and that are
 *       served stale (or past max-stale);</li>
 *   <li>{@code nexus.secrets.backend.up} (gauge; tag {@code backend}): 1 when the backend is UP or not asked
 *       yet, 0.5 DEGRADED, 0 DOWN.</li>
 * </ul>
 */
final class SecretsMeterBinder implements MeterBinder {
  private final SecretResolver resolver;
  private final SecretsMetricsRecorder recorder;
  private final ServedKeys servedKeys;

  SecretsMeterBinder(SecretResolver resolver, SecretsMetricsRecorder recorder, ServedKeys servedKeys) {
    this.resolver = resolver;
    this.recorder = recorder;
    this.servedKeys = servedKeys;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Set<String> backends = new LinkedHashSet<>();
    for (ResolverDescription.BackendDescription b : resolver.inspect().describe().backends()) {
      if (b.active()) {
        backends.add(b.id());
      }
    }
    for (String backend : backends) {
      for (Outcome outcome : new Outcome[] {Outcome.FOUND, Outcome.ERROR}) {
        timer(registry, backend, outcome);
      }
      refreshTimer(registry, backend, true);
      refreshTimer(registry, backend, false);
      FunctionCounter.builder("nexus.secrets.backend.failures", recorder, r -> count(r, backend))
          .tag("backend", backend).description("Backend failures").register(registry);
      Gauge.builder("nexus.secrets.backend.up", resolver, r -> up(r, backend))
          .tag("backend", backend).description("1 up, 0.5 degraded (serving stale), 0 down").register(registry);
    }
    timer(registry, "none", Outcome.NOT_FOUND);
    FunctionCounter.builder("nexus.secrets.rotations", recorder, SecretsMetricsRecorder::rotations)
        .description("Changes of a served secret's value or version").register(registry);
    Gauge.builder("nexus.secrets.stale.entries", this, SecretsMeterBinder::staleEntries)
        .description("Served secret properties whose backend is failing").register(registry);
  }

  private void timer(MeterRegistry registry, String backend, Outcome outcome) {
    SecretsMetricsRecorder.Timing t = recorder.timing(backend, outcome);
    if (t == null) {
      return;
    }
    FunctionTimer.builder("nexus.secrets.lookups", t, x -> x.count.sum(), x -> x.nanos.sum(), TimeUnit.NANOSECONDS)
        .tag("backend", backend).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
        .description("Backend lookups by loads and refreshes").register(registry);
  }

  private void refreshTimer(MeterRegistry registry, String backend, boolean succeeded) {
    SecretsMetricsRecorder.Timing t = recorder.refreshTiming(backend, succeeded);
    if (t == null) {
      return;
    }
    FunctionTimer.builder("nexus.secrets.refreshes", t, x -> x.count.sum(), x -> x.nanos.sum(), TimeUnit.NANOSECONDS)
        .tag("backend", backend).tag("outcome", succeeded ? "success" : "failure")
        .description("Refresh batches, one request per backend's due keys").register(registry);
  }

  private static double count(SecretsMetricsRecorder recorder, String backend) {
    java.util.concurrent.atomic.LongAdder a = recorder.failures(backend);
    return a == null ? 0 : a.sum();
  }

  private static double up(SecretResolver resolver, String backend) {
    for (BackendHealth h : resolver.inspect().health()) {
      if (h.backendId().equals(backend)) {
        return switch (h.status()) {
          case UP, UNKNOWN -> 1.0;
          case DEGRADED -> 0.5;
          case DOWN -> 0.0;
        };
      }
    }
    return 0.0;
  }

  private double staleEntries() {
    int stale = 0;
    for (String key : servedKeys.snapshot()) {
      SecretExplanation.CacheState state = resolver.inspect().explain(key).cacheState();
      if (state == SecretExplanation.CacheState.STALE || state == SecretExplanation.CacheState.FAILED) {
        stale++;
      }
    }
    return stale;
  }
}
