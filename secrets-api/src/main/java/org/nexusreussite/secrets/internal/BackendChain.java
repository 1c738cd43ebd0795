package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.SecretsListener;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;

/**
 * The backends in search order and the rule for asking them: highest first, the first that holds a key
 * serves it, and a backend that fails ends the search for that key (falling through to a lower backend
 * on error could hand production a developer's {@code .env} value).
 *
 * <p>Siblings: a backend's {@code fetchAll} may return keys it was not asked for, read in the same
 * request (the other fields of a Vault path). They are kept per backend, for a short time and up to the
 * resolver's size bound, as an "already read" snapshot that the search consults only when it reaches that
 * backend, so a higher backend that holds the key still wins, and a cold start costs one request per
 * source rather than one per key. Refreshes and group reads skip the snapshot: they want a new read.
 *
 * <p>Concurrency: stateless but for the snapshots ({@link SiblingSnapshot}) and the slots' health fields
 * (volatile); safe from readers and refresh threads at once.
 */
final class BackendChain {
  /** How long a sibling stays usable: long enough for a start-up's reads, short enough to stay fresh. */
  static final Duration SIBLING_TTL = Duration.ofSeconds(10);

  private final List<BackendSlot> slots;
  private final List<String> searchOrder;
  private final Clock clock;
  private final Notifications notifications;
  private final Map<BackendSlot, SiblingSnapshot> siblings = new IdentityHashMap<>();
  private static final AtomicLong READS = new AtomicLong();

  BackendChain(List<BackendSlot> slots, Clock clock, Notifications notifications, long maximumSize,
      Duration refreshInterval) {
    this.slots = List.copyOf(slots);
    this.clock = clock;
    this.notifications = notifications;
    List<String> order = new ArrayList<>();
    Duration ttl = SIBLING_TTL.compareTo(refreshInterval) < 0 ? SIBLING_TTL : refreshInterval;
    for (BackendSlot slot : slots) {
      order.add(slot.description);
      siblings.put(slot, new SiblingSnapshot(maximumSize, ttl, clock));
    }
    this.searchOrder = List.copyOf(order);
  }

  List<BackendSlot> slots() {
    return slots;
  }

  List<String> searchOrder() {
    return searchOrder;
  }

  /**
   * Asks the backends in order for the latest value of each key: one {@code fetchAll} per backend for
   * all keys still open, so keys of one source come from one read.
   *
   * @param useSiblings whether keys read along with earlier requests may answer (cold loads only)
   */
  Map<String, Outcome> latest(Collection<String> keys, boolean useSiblings) {
    Map<String, Outcome> out = new LinkedHashMap<>();
    Set<String> remaining = new LinkedHashSet<>(keys);
    Map<String, Map<String, String>> reasons = new LinkedHashMap<>();
    for (String key : keys) {
      reasons.put(key, new LinkedHashMap<>());
    }
    List<String> searched = new ArrayList<>();
    for (BackendSlot slot : slots) {
      if (remaining.isEmpty()) {
        break;
      }
      SiblingSnapshot snapshot = siblings.get(slot);
      if (useSiblings && snapshot != null) {
        for (var it = remaining.iterator(); it.hasNext(); ) {
          String key = it.next();
          // taken, not just read: it is about to be cached; later reads go to the store
          SiblingSnapshot.Sibling s = snapshot.take(key);
          if (s != null) {
            out.put(key, Outcome.found(s.secret, slot, s.readId));
            notifications.lookup(key, slot.id, SecretsListener.Outcome.FOUND, System.nanoTime());
            it.remove();
          }
        }
        if (remaining.isEmpty()) {
          break;
        }
      }
      long started = System.nanoTime();
      long readId = READS.incrementAndGet();
      Map<String, Secret> found;
      try {
        found = slot.backend.fetchAll(List.copyOf(remaining));
        slot.succeeded(clock.instant());
      } catch (RuntimeException ex) {
        SecretsException err = asSecretsException(slot, ex);
        failed(slot, err);
        searched.add(slot.description);
        for (String key : remaining) {
          Map<String, String> r = reasonsFor(reasons, key);
          r.put(slot.id, reasonOf(err));
          out.put(key, Outcome.failed(err, slot, r, List.copyOf(searched)));
          notifications.lookup(key, slot.id, SecretsListener.Outcome.ERROR, started);
        }
        // never fall through to a lower backend on error: it could serve a developer's value in production
        remaining.clear();
        break;
      }
      searched.add(slot.description);
      for (Map.Entry<String, Secret> e : found.entrySet()) {
        String key = e.getKey();
        if (remaining.remove(key)) {
          out.put(key, Outcome.found(e.getValue(), slot, readId));
          notifications.lookup(key, slot.id, SecretsListener.Outcome.FOUND, started);
        } else if (snapshot != null && !reasons.containsKey(key)) {
          snapshot.put(key, e.getValue(), readId);
        }
      }
      for (String key : remaining) {
        reasonsFor(reasons, key).put(slot.id, "not found");
      }
    }
    for (String key : remaining) {
      out.put(key, Outcome.notFound(reasonsFor(reasons, key), List.copyOf(searched)));
      notifications.lookup(key, "none", SecretsListener.Outcome.NOT_FOUND, System.nanoTime());
    }
    return out;
  }

  private static Map<String, String> reasonsFor(Map<String, Map<String, String>> reasons, String key) {
    // get-then-put, not computeIfAbsent with a lambda: this runs on every first read (start-up, issue 18)
    Map<String, String> r = reasons.get(key);
    if (r == null) {
      r = new LinkedHashMap<>();
      reasons.put(key, r);
    }
    return r;
  }

  /** A pinned version comes from the backend that serves the key's latest value. */
  Outcome pinned(String key, VersionSelector selector) {
    Outcome latest = Outcome.of(latest(List.of(key), false), key);
    BackendSlot slot = latest.slot();
    if (!latest.isFound() || slot == null) {
      return latest;
    }
    try {
      Optional<Secret> s = slot.backend.fetch(key, selector);
      slot.succeeded(clock.instant());
      if (s.isEmpty()) {
        return Outcome.notFound(Map.of(slot.id, "version " + selector.describe() + " not found"),
            List.of(slot.description));
      }
      return Outcome.found(s.get(), slot, READS.incrementAndGet());
    } catch (RuntimeException ex) {
      SecretsException err = asSecretsException(slot, ex);
      failed(slot, err);
      return Outcome.failed(err, slot, Map.of(slot.id, reasonOf(err)), List.of(slot.description));
    }
  }

  /** One version of a key from one backend; null when that version does not exist. */
  @Nullable Secret version(BackendSlot slot, String key, VersionSelector version) {
    try {
      Optional<Secret> s = slot.backend.fetch(key, version);
      slot.succeeded(clock.instant());
      notifications.audit(key, slot.id, s.isPresent() ? "found " + version.describe() : "version not found");
      return s.orElse(null);
    } catch (RuntimeException ex) {
      SecretsException err = asSecretsException(slot, ex);
      if (!(err instanceof UnsupportedCapabilityException)) {
        failed(slot, err);
      }
      throw err;
    }
  }

  private void failed(BackendSlot slot, SecretsException err) {
    slot.failed(clock.instant(), err);
    notifications.backendFailed(slot.id, err);
  }

  static SecretsException asSecretsException(BackendSlot slot, RuntimeException ex) {
    if (ex instanceof SecretsException se) {
      return se;
    }
    // a foreign exception's message may quote what the store sent back: keep it as the cause only
    return new BackendUnavailableException(slot.id, "Backend '" + slot.description + "' failed with "
        + ex.getClass().getName() + "; check its configuration and connectivity (cause attached)", ex);
  }

  static String reasonOf(SecretsException err) {
    String message = String.valueOf(err.getMessage());
    if (err instanceof BackendAuthenticationException) {
      return "denied: " + message;
    }
    if (err instanceof BackendUnavailableException) {
      return "unreachable: " + message;
    }
    return message;
  }
}
