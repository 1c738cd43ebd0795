package org.nexusreussite.secrets.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * What the resolver serves for one key. Immutable but for its claim flags and the handles of its two
 * scheduled tasks (the next refresh or expiry, and the max-stale deadline while stale). The read path
 * touches only {@link #value}: non-null exactly when the entry can be served.
 *
 * <p>Concurrency: fields are final and published through the cache's map; {@link #scheduled} and
 * {@link #refreshing} are claimed by compare-and-set so that one task schedules it and one refresh batch
 * takes it; task handles are volatile and cancelled by whoever replaces or evicts the entry.
 */
final class CacheEntry {
  enum Kind {
    /** A value, fresh or stale ({@link #error} non-null while refreshes fail). */
    VALUE,
    /** No backend holds the key; removed after the negative TTL. */
    NOT_FOUND,
    /** A backend failed and nothing can be served ({@link #secret} may hold the last good one). */
    FAILED
  }

  final String key;
  final Kind kind;
  final @Nullable String value;
  final @Nullable Secret secret;
  final @Nullable BackendSlot slot;
  final VersionSelector selector;
  final @Nullable SecretsException error;
  final Map<String, String> reasons;
  final List<String> searched;
  final int failures;
  /** When the next refresh (or, for NOT_FOUND, the expiry) is due, on the resolver's clock. */
  final Instant refreshDue;
  /** When refreshes started failing, on the resolver's clock; null while they succeed. */
  final @Nullable Instant failingSince;
  /** The backend read this value came from: values with one read id were read together. */
  final long readId;
  final AtomicBoolean scheduled = new AtomicBoolean();
  /** Claimed by the refresh batch that will replace this entry, so no second batch asks again. */
  final AtomicBoolean refreshing = new AtomicBoolean();
  volatile TaskScheduler.@Nullable Cancellable task;
  volatile TaskScheduler.@Nullable Cancellable deadline;
  /** Set once the entry left the cache (replaced or evicted): a task scheduled after that is cancelled. */
  volatile boolean retired;

  private CacheEntry(String key, Kind kind, @Nullable Secret secret, @Nullable BackendSlot slot,
      VersionSelector selector, @Nullable SecretsException error, Map<String, String> reasons,
      List<String> searched, int failures, Instant refreshDue, @Nullable Instant failingSince, long readId) {
    this.key = key;
    this.kind = kind;
    this.secret = secret;
    this.value = kind == Kind.VALUE && secret != null ? secret.value().reveal() : null;
    this.slot = slot;
    this.selector = selector;
    this.error = error;
    this.reasons = reasons;
    this.searched = searched;
    this.failures = failures;
    this.refreshDue = refreshDue;
    this.failingSince = failingSince;
    this.readId = readId;
  }

  static CacheEntry value(Secret secret, BackendSlot slot, VersionSelector selector, Instant refreshDue,
      long readId) {
    return new CacheEntry(secret.key(), Kind.VALUE, secret, slot, selector, null, Map.of(), List.of(), 0,
        refreshDue, null, readId);
  }

  static CacheEntry stale(CacheEntry previous, SecretsException error, Instant retryAt, Instant failingSince) {
    return new CacheEntry(previous.key, Kind.VALUE, previous.secret, previous.slot, previous.selector, error,
        previous.reasons, previous.searched, previous.failures + 1, retryAt, failingSince, previous.readId);
  }

  static CacheEntry notFound(String key, VersionSelector selector, Map<String, String> reasons,
      List<String> searched, Instant expiresAt) {
    return new CacheEntry(key, Kind.NOT_FOUND, null, null, selector, null, ordered(reasons),
        List.copyOf(searched), 0, expiresAt, null, 0);
  }

  static CacheEntry failed(String key, @Nullable Secret lastGood, @Nullable BackendSlot slot,
      VersionSelector selector, SecretsException error, Map<String, String> reasons, List<String> searched,
      int failures, Instant retryAt, Instant failingSince) {
    return new CacheEntry(key, Kind.FAILED, lastGood, slot, selector, error, ordered(reasons),
        List.copyOf(searched), failures, retryAt, failingSince, 0);
  }

  boolean stale() {
    return kind == Kind.VALUE && error != null;
  }

  boolean pinned() {
    return !(selector instanceof VersionSelector.Latest);
  }

  /** Marks the entry as gone and cancels its tasks; idempotent. */
  void retire() {
    retired = true;
    cancel(task);
    cancel(deadline);
  }

  private static void cancel(TaskScheduler.@Nullable Cancellable t) {
    if (t != null) {
      t.cancel();
    }
  }

  @Override
  public String toString() {
    Secret s = secret;
    return "CacheEntry[" + key + " " + kind + (s == null ? "" : " " + s.version().id()) + "]";
  }

  /** A copy that keeps the search order, which reports print (Map.copyOf would shuffle it). */
  private static Map<String, String> ordered(Map<String, String> reasons) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
  }
}
