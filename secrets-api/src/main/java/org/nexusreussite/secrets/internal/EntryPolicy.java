package org.nexusreussite.secrets.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.VersionScope;

/**
 * The cache-entry state machine as pure functions: which entry follows an outcome, when it is refreshed,
 * how failed refreshes back off, when a stale value must stop being served, and what counts as a
 * rotation. No clock, no scheduler, no randomness of its own: time and jitter are arguments, so each
 * rule is unit-tested directly.
 *
 * <p>Concurrency: immutable; safe from any thread.
 */
final class EntryPolicy {
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
  /** Refresh times are spread over the last tenth of the interval so a fleet does not stampede. */
  static final double JITTER = 0.10;

  final Duration refreshInterval;
  final Duration maxStale;
  final Duration negativeTtl;

  EntryPolicy(Duration refreshInterval, Duration maxStale, Duration negativeTtl) {
    this.refreshInterval = refreshInterval;
    this.maxStale = maxStale;
    this.negativeTtl = negativeTtl;
  }

  /**
   * The entry that follows {@code o} for {@code key}.
   *
   * @param prev the entry served so far, or null
   * @param random a number in [0, 1) for jitter
   */
  CacheEntry next(String key, VersionSelector selector, Outcome o, @Nullable CacheEntry prev, Instant now,
      double random) {
    Secret found = o.secret();
    if (found != null && o.slot() != null) {
      return CacheEntry.value(found, o.slot(), selector, now.plus(refreshDelay(found, random)), o.readId());
    }
    SecretsException error = o.error();
    if (error == null) {
      return CacheEntry.notFound(key, selector, o.reasons(), o.searched(), now.plus(negativeTtl));
    }
    int failures = prev == null ? 1 : prev.failures + 1;
    Instant retryAt = now.plus(backoff(failures, random));
    Instant failingSince = prev != null && prev.failingSince != null ? prev.failingSince : now;
    if (prev != null && prev.kind == CacheEntry.Kind.VALUE && now.isBefore(failingSince.plus(maxStale))) {
      return CacheEntry.stale(prev, error, retryAt, failingSince);
    }
    return CacheEntry.failed(key, prev == null ? null : prev.secret, o.slot(), selector, error, o.reasons(),
        o.searched(), failures, retryAt, failingSince);
  }

  /**
   * The entry that replaces a stale one whose max-stale deadline passed: nothing is served any more, the
   * pending retry keeps its time.
   */
  static CacheEntry expired(CacheEntry stale) {
    SecretsException error = stale.error;
    Instant since = stale.failingSince;
    if (error == null || since == null) {
      throw new IllegalStateException("Only a stale entry expires: " + stale);
    }
    return CacheEntry.failed(stale.key, stale.secret, stale.slot, stale.selector, error, stale.reasons,
        stale.searched, stale.failures, stale.refreshDue, since);
  }

  /** When a stale entry must stop being served, or null when it is not stale. */
  @Nullable Instant staleDeadline(CacheEntry e) {
    Instant since = e.failingSince;
    return e.stale() && since != null ? since.plus(maxStale) : null;
  }

  /** The refresh interval, shortened by the secret's TTL (a Vault lease), minus up to a tenth of jitter. */
  Duration refreshDelay(Secret secret, double random) {
    Duration base = refreshInterval;
    if (!secret.ttl().isZero() && secret.ttl().compareTo(base) < 0) {
      base = secret.ttl();
    }
    long nanos = base.toNanos();
    long spread = (long) (nanos * JITTER * random);
    return Duration.ofNanos(Math.max(1, nanos - spread));
  }

  /** Exponential from 1 s to 20 s, with full jitter between half and all of it. */
  static Duration backoff(int failures, double random) {
    long millis = MIN_BACKOFF.toMillis() << Math.min(Math.max(failures, 1) - 1, 10);
    millis = Math.min(millis, MAX_BACKOFF.toMillis());
    return Duration.ofMillis(millis / 2 + (long) ((millis / 2) * random));
  }

  /**
   * Whether a read that is not forced (a refresh, a group re-read; not an admin write or pin) leaves the entry
   * as it is: the key was pinned or unpinned meanwhile, or the read started before the one the entry came from
   * (a refresh that read the store before a write whose own read applied first would serve the old value again
   * and fire the rotation backwards).
   */
  static boolean keepsPrevious(CacheEntry prev, VersionSelector selector, Outcome outcome) {
    if (!Objects.equals(prev.selector, selector)) {
      return true;
    }
    return prev.kind == CacheEntry.Kind.VALUE && outcome.secret() != null && outcome.readId() > 0
        && outcome.readId() < prev.readId;
  }

  /**
   * True when {@code after} is a change of the key against {@code before}: a different value always; a
   * different version only where the backend versions each key on its own (a Vault path's version moves
   * for every field when one changes).
   */
  static boolean isRotation(@Nullable Secret before, @Nullable Secret after, VersionScope scope) {
    if (before == null || after == null || before == after) {
      return false;
    }
    if (!before.value().equals(after.value())) {
      return true;
    }
    return scope == VersionScope.KEY && !before.version().id().equals(after.version().id());
  }
}
