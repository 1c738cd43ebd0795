package org.nexusreussite.secrets.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretInspector;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.ValidationReport;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;

/**
 * Reports on the resolver: validation, explanations, description, health and listing; the resolver's
 * {@link SecretInspector}.
 *
 * <p>Concurrency: reads the cache's map and the slots' volatile health fields without locking, so a
 * report is a view of a moment, not a snapshot taken atomically across keys. Only {@link #validate()}
 * and {@link #listKeys()} may ask a store; {@link #health()} and {@link #explain(String)} never do.
 */
final class ResolverInspector implements SecretInspector {
  private final CompositeSecretResolver r;
  private final List<ResolverDescription.BackendDescription> descriptions;
  private final List<String> warnings;

  ResolverInspector(CompositeSecretResolver resolver, List<ResolverDescription.BackendDescription> descriptions,
      List<String> warnings) {
    this.r = resolver;
    this.descriptions = descriptions; // a live view: capabilities are asked when described (Assembly)
    this.warnings = List.copyOf(warnings);
  }

  @Override
  public ValidationReport validate() {
    r.ensureOpen();
    r.groups().prefetch(r.required);
    List<ValidationReport.Problem> problems = new ArrayList<>();
    for (String key : r.required) {
      CacheEntry e = r.entry(key);
      SecretsException error = e.error;
      if (e.kind != CacheEntry.Kind.VALUE) {
        Map<String, String> reasons = new LinkedHashMap<>(e.reasons);
        if (reasons.isEmpty() && error != null) {
          reasons.put(error instanceof BackendException be ? be.backendId() : "?", BackendChain.reasonOf(error));
        }
        problems.add(new ValidationReport.Problem(key, reasons));
      }
    }
    return new ValidationReport(r.profile, List.copyOf(r.required), r.chain.searchOrder(), problems);
  }

  @Override
  public SecretExplanation explain(String key) {
    Keys.requireValid(key);
    r.ensureOpen();
    VersionSelector pin = r.pins.get(key);
    String pinned = pin == null ? null : pin.describe();
    CacheEntry e = r.servedMap.get(key);
    if (e == null) {
      // never read (or evicted): explaining must not fetch, or explain() would become a read path
      return new SecretExplanation(key, SecretExplanation.CacheState.NOT_CACHED, null, null, pinned, null);
    }
    SecretExplanation.CacheState state = switch (e.kind) {
      case VALUE -> e.stale() ? SecretExplanation.CacheState.STALE : SecretExplanation.CacheState.FRESH;
      case NOT_FOUND -> SecretExplanation.CacheState.NOT_FOUND;
      case FAILED -> SecretExplanation.CacheState.FAILED;
    };
    SecretsException error = e.error;
    return new SecretExplanation(key, state, e.secret, e.refreshDue, pinned,
        error == null ? null : error.getMessage());
  }

  @Override
  public ResolverDescription describe() {
    return new ResolverDescription(r.profile, descriptions, List.copyOf(r.required), r.admin().pins(),
        r.policy.refreshInterval, r.policy.maxStale, r.policy.negativeTtl, warnings);
  }

  @Override
  public List<BackendHealth> health() {
    List<BackendHealth> out = new ArrayList<>();
    for (BackendSlot slot : r.chain.slots()) {
      out.add(merge(fromReads(slot), reported(slot)));
    }
    return out;
  }

  @Override
  public List<BackendHealth> probeHealth() {
    List<BackendHealth> out = new ArrayList<>();
    for (BackendSlot slot : r.chain.slots()) {
      BackendHealth probed;
      try {
        BackendHealth h = slot.backend.health();
        probed = BackendHealth.of(slot.id, h.status(), "probe: " + h.detail(),
            h.lastSuccess().orElse(slot.lastSuccess()), h.lastFailure().orElse(slot.lastFailure()),
            h.lastError().orElse(slot.lastError()));
      } catch (RuntimeException ex) {
        // the SPI says health() never throws; one that does is reported, not propagated
        probed = BackendHealth.of(slot.id, BackendHealth.Status.DOWN, "probe failed with "
            + ex.getClass().getName(), slot.lastSuccess(), slot.lastFailure(), slot.lastError());
      }
      out.add(merge(probed, reported(slot)));
    }
    return out;
  }

  private static @Nullable BackendHealth reported(BackendSlot slot) {
    try {
      Optional<BackendHealth> h = slot.backend.reportedState();
      return h.orElse(null);
    } catch (RuntimeException ex) {
      return BackendHealth.of(slot.id, BackendHealth.Status.DEGRADED, "reportedState() threw "
          + ex.getClass().getName(), null, null, null);
    }
  }

  /** What reads have shown: UP while answering, DEGRADED while stale values are served, DOWN after. */
  private BackendHealth fromReads(BackendSlot slot) {
    if (slot.lastSuccess() == null && slot.lastFailure() == null) {
      return BackendHealth.of(slot.id, BackendHealth.Status.UNKNOWN, "not asked yet", null, null, null);
    }
    BackendHealth.Status status;
    String detail;
    if (!slot.failing()) {
      status = BackendHealth.Status.UP;
      detail = "answering";
    } else {
      boolean anyStale = false;
      boolean anyFailed = false;
      for (CacheEntry e : r.servedMap.values()) {
        if (e.slot == slot) {
          anyStale |= e.stale();
          anyFailed |= e.kind == CacheEntry.Kind.FAILED;
        }
      }
      if (anyStale && !anyFailed) {
        status = BackendHealth.Status.DEGRADED;
        detail = "failing; serving cached values for at most " + Durations.format(r.policy.maxStale);
      } else {
        status = BackendHealth.Status.DOWN;
        detail = "failing; no cached value left to serve";
      }
    }
    return BackendHealth.of(slot.id, status, detail, slot.lastSuccess(), slot.lastFailure(), slot.lastError());
  }

  /** The worse of two states; the backend's own report adds to the detail. */
  private static BackendHealth merge(BackendHealth base, @Nullable BackendHealth reported) {
    if (reported == null) {
      return base;
    }
    BackendHealth.Status status = rank(reported.status()) > rank(base.status()) ? reported.status() : base.status();
    return BackendHealth.of(base.backendId(), status, base.detail() + "; backend reports "
        + reported.status() + ": " + reported.detail(), base.lastSuccess().orElse(null),
        base.lastFailure().orElse(null), base.lastError().or(reported::lastError).orElse(null));
  }

  private static int rank(BackendHealth.Status s) {
    return switch (s) {
      case UNKNOWN -> 0;
      case UP -> 1;
      case DEGRADED -> 2;
      case DOWN -> 3;
    };
  }

  @Override
  public Map<String, Set<String>> listKeys() {
    r.ensureOpen();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (BackendSlot slot : r.chain.slots()) {
      if (slot.backend.capabilities().contains(Capability.LISTING)) {
        try {
          out.put(slot.id, Collections.unmodifiableSet(new TreeSet<>(slot.backend.keys())));
        } catch (RuntimeException ex) {
          throw BackendChain.asSecretsException(slot, ex);
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }
}
