package org.nexusreussite.secrets.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretGroupListener;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretRotationListener;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.SecretsListener;
import org.nexusreussite.secrets.ServedSecretListener;
import org.nexusreussite.secrets.Subscription;

/**
 * Rotation dispatch, the one channel through which changes reach listeners, plus the lookup and failure
 * hooks for metrics and the audit log.
 *
 * <p>Every rotation subscription (one key, every key, a group) lives in one list and is told in
 * subscription order. A batch of changes from one refresh is delivered as one call to {@link #rotated},
 * so a group listener fires once per change of the group with all its new values, read again as one
 * consistent group.
 *
 * <p>Concurrency: subscriptions are a copy-on-write list, so firing never blocks subscribing. Listeners
 * run on the thread that applied the change (a refresh lane thread, or the caller of pin, rollback or
 * refresh(key)); a listener's exception is logged by type only and does not stop the others. A group
 * listener's last delivered group is swapped under the subscription's own lock so that two batches
 * applied at once cannot both deliver the same change.
 */
final class Notifications {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");
  private static final System.Logger AUDIT = System.getLogger("org.nexusreussite.secrets.audit");

  private sealed interface Target permits KeyTarget, AllTarget, GroupTarget {}

  private record KeyTarget(String key, SecretRotationListener listener) implements Target {}

  private record AllTarget(SecretRotationListener listener) implements Target {}

  private static final class GroupTarget implements Target {
    final List<String> keys;
    final SecretGroupListener listener;
    @Nullable SecretGroup last;

    GroupTarget(List<String> keys, SecretGroupListener listener, @Nullable SecretGroup last) {
      this.keys = keys;
      this.listener = listener;
      this.last = last;
    }
  }

  private final List<Target> targets = new CopyOnWriteArrayList<>();
  private final List<ServedSecretListener> servedListeners = new CopyOnWriteArrayList<>();
  private final List<SecretsListener> observers;

  Notifications(List<SecretsListener> observers) {
    this.observers = List.copyOf(observers);
  }

  Subscription onKey(String key, SecretRotationListener listener) {
    return add(new KeyTarget(key, listener));
  }

  Subscription onAll(SecretRotationListener listener) {
    return add(new AllTarget(listener));
  }

  Subscription onGroup(List<String> keys, SecretGroupListener listener, SecretGroup current) {
    return add(new GroupTarget(List.copyOf(keys), listener, current));
  }

  private Subscription add(Target target) {
    targets.add(target);
    return () -> targets.remove(target);
  }

  /**
   * Adds a served-value listener, then tells it of each value in {@code current}: added first, so a value
   * written meanwhile is told at least once (possibly twice, which the contract allows).
   */
  Subscription onServe(ServedSecretListener listener, Iterable<CacheEntry> current) {
    servedListeners.add(listener);
    Subscription s = () -> servedListeners.remove(listener);
    for (CacheEntry e : current) {
      Secret secret = e.secret;
      if (e.kind == CacheEntry.Kind.VALUE && secret != null) {
        try {
          listener.onServed(secret);
        } catch (RuntimeException ex) {
          listenerFailed(ex);
        }
      }
    }
    return s;
  }

  /** Tells the served-value listeners of a newly written entry, when it can be served. */
  void served(CacheEntry e) {
    Secret secret = e.secret;
    if (servedListeners.isEmpty() || e.kind != CacheEntry.Kind.VALUE || secret == null) {
      return;
    }
    for (ServedSecretListener l : servedListeners) {
      try {
        l.onServed(secret);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  /**
   * Delivers the changes of one batch: each to the key and all-key listeners, then each concerned group
   * once, read with {@code readGroup}.
   */
  void rotated(List<SecretRotation> rotations, Function<List<String>, SecretGroup> readGroup) {
    if (rotations.isEmpty()) {
      return;
    }
    Set<String> changed = new HashSet<>();
    for (SecretRotation r : rotations) {
      changed.add(r.key());
      Secret before = r.previous().orElse(null);
      LOG.log(System.Logger.Level.INFO, "Secret ''{0}'' changed: version {1} -> {2} ({3})", r.key(),
          before == null ? "none" : before.version().id(), r.current().version().id(), r.current().backend());
      for (Target t : targets) {
        try {
          if (t instanceof KeyTarget k && k.key.equals(r.key())) {
            k.listener.onRotation(r);
          } else if (t instanceof AllTarget a) {
            a.listener.onRotation(r);
          }
        } catch (RuntimeException ex) {
          listenerFailed(ex);
        }
      }
    }
    for (Target t : targets) {
      if (t instanceof GroupTarget g && !java.util.Collections.disjoint(g.keys, changed)) {
        deliver(g, readGroup);
      }
    }
  }

  private static void deliver(GroupTarget g, Function<List<String>, SecretGroup> readGroup) {
    SecretGroup current;
    try {
      current = readGroup.apply(g.keys);
    } catch (SecretsException ex) {
      // a member is gone or its backend fails past max-stale: nothing consistent to deliver
      LOG.log(System.Logger.Level.WARNING, "Group " + g.keys + " changed but could not be read as a whole: "
          + ex.getMessage());
      return;
    }
    synchronized (g) {
      SecretGroup last = g.last;
      if (last != null && same(last, current)) {
        return;
      }
      g.last = current;
    }
    try {
      g.listener.onRotation(current);
    } catch (RuntimeException ex) {
      listenerFailed(ex);
    }
  }

  /** Same keys, values and versions. */
  static boolean same(SecretGroup a, SecretGroup b) {
    Map<String, Secret> x = a.secrets();
    Map<String, Secret> y = b.secrets();
    if (!x.keySet().equals(y.keySet())) {
      return false;
    }
    for (Map.Entry<String, Secret> e : x.entrySet()) {
      Secret o = y.get(e.getKey());
      if (o == null || !e.getValue().value().equals(o.value())
          || !e.getValue().version().id().equals(o.version().id())) {
        return false;
      }
    }
    return true;
  }

  /** Logs an entry's move to stale (WARNING) or past max-stale (ERROR); messages carry no value. */
  void transition(@Nullable CacheEntry prev, CacheEntry next, Duration maxStale) {
    SecretsException error = next.error;
    BackendSlot slot = next.slot;
    if (error == null) {
      return;
    }
    if (next.stale() && (prev == null || !prev.stale()) && slot != null) {
      LOG.log(System.Logger.Level.WARNING, "Serving cached secret ''{0}'' from {1} while the backend fails "
          + "(for at most {2}): {3}", next.key, slot.id, Durations.format(maxStale), error.getMessage());
    }
    if (next.kind == CacheEntry.Kind.FAILED && prev != null && prev.kind == CacheEntry.Kind.VALUE) {
      LOG.log(System.Logger.Level.ERROR, "Secret ''{0}'' has been served stale for max-stale ({1}) and its "
          + "backend still fails: reads now throw until it recovers: {2}", next.key, Durations.format(maxStale),
          error.getMessage());
    }
  }

  static void listenerFailed(RuntimeException ex) {
    // the listener is user code: its message is not ours to vet, so only its type is logged
    LOG.log(System.Logger.Level.WARNING, "A secrets listener threw " + ex.getClass().getName()
        + "; other listeners were still notified");
  }

  void lookup(String key, String backend, SecretsListener.Outcome outcome, long startedNanos) {
    audit(key, backend, outcome.name().toLowerCase(Locale.ROOT));
    if (observers.isEmpty()) {
      return;
    }
    Duration elapsed = Duration.ofNanos(Math.max(0, System.nanoTime() - startedNanos));
    for (SecretsListener l : observers) {
      try {
        l.onLookup(key, backend, outcome, elapsed);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  void refreshed(String backend, int keys, boolean succeeded, long startedNanos) {
    if (observers.isEmpty()) {
      return;
    }
    Duration elapsed = Duration.ofNanos(Math.max(0, System.nanoTime() - startedNanos));
    for (SecretsListener l : observers) {
      try {
        l.onRefresh(backend, keys, succeeded, elapsed);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  void backendFailed(String backend, SecretsException error) {
    for (SecretsListener l : observers) {
      try {
        l.onBackendFailure(backend, error);
      } catch (RuntimeException ex) {
        listenerFailed(ex);
      }
    }
  }

  void audit(String key, String backend, String outcome) {
    if (AUDIT.isLoggable(System.Logger.Level.DEBUG)) {
      AUDIT.log(System.Logger.Level.DEBUG, "lookup key={0} backend={1} outcome={2}", key, backend, outcome);
    }
  }
}
