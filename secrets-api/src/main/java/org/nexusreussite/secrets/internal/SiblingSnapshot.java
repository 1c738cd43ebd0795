package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Secret;

/**
 * One backend's "already read" keys (see {@link BackendChain}): values a {@code fetchAll} returned
 * without being asked for, each usable once and for {@code ttl} after it was read, at most
 * {@code maximumSize} of them.
 *
 * <p>A plain map rather than a Caffeine cache: it is written by the very first read of every
 * application, and building a Caffeine cache costs a JVM's start-up about 45 ms (issue 18). Bounds are
 * the same: a full snapshot first drops what has expired, and when still full keeps no more (a sibling
 * is only a shortcut; without it the next read asks the store). Expiry reads the resolver's clock, so
 * tests advance it.
 *
 * <p>Concurrency: a {@link ConcurrentHashMap}; taking a sibling removes it atomically, so two loads
 * cannot both use it. The size check may let one entry per concurrently writing thread past the bound.
 */
final class SiblingSnapshot {
  /** A value read along with another key, and when it stops being usable (clock millis). */
  static final class Sibling {
    final Secret secret;
    final long readId;
    final long expiresAt;

    Sibling(Secret secret, long readId, long expiresAt) {
      this.secret = secret;
      this.readId = readId;
      this.expiresAt = expiresAt;
    }
  }

  private final ConcurrentHashMap<String, Sibling> siblings = new ConcurrentHashMap<>();
  private final long maximumSize;
  private final long ttlMillis;
  private final Clock clock;

  SiblingSnapshot(long maximumSize, Duration ttl, Clock clock) {
    this.maximumSize = maximumSize;
    this.ttlMillis = Math.max(1, ttl.toMillis());
    this.clock = clock;
  }

  /** Removes and returns the sibling of {@code key} when one is there and has not expired. */
  @Nullable Sibling take(String key) {
    Sibling s = siblings.remove(key);
    return s != null && clock.millis() < s.expiresAt ? s : null;
  }

  /** Keeps {@code secret} as a sibling of this read, unless the snapshot is full of unexpired ones. */
  void put(String key, Secret secret, long readId) {
    long now = clock.millis();
    if (siblings.size() >= maximumSize) {
      purge(now);
      if (siblings.size() >= maximumSize) {
        return;
      }
    }
    siblings.put(key, new Sibling(secret, readId, now + ttlMillis));
  }

  /** How many are kept now, expired ones included until a full snapshot purges them; for tests. */
  int size() {
    return siblings.size();
  }

  private void purge(long now) {
    for (Iterator<Sibling> it = siblings.values().iterator(); it.hasNext(); ) {
      if (now >= it.next().expiresAt) {
        it.remove();
      }
    }
  }
}
