package org.nexusreussite.secrets.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.VersionSelector;

/**
 * Consistent group reads. Every value in the cache carries the id of the backend read it came from; a
 * group is served from the cache when, for each backend, its keys share one read id (they were read by
 * one {@code fetchAll}, which the SPI makes one consistent read per source). Otherwise the group's keys
 * are read again in one pass, one request per backend, and cached together.
 *
 * <p>Concurrency: the cache check reads entries without locking; a group assembled from entries that a
 * refresh replaces meanwhile is still consistent, since each entry is immutable and the read ids are
 * compared on the entries actually used. A re-read writes through the resolver's single entry-writing
 * path and tells listeners after it.
 */
final class GroupReads {
  private final CompositeSecretResolver r;

  GroupReads(CompositeSecretResolver resolver) {
    this.r = resolver;
  }

  SecretGroup group(String[] keys) {
    List<String> list = distinct(keys);
    r.ensureOpen();
    Map<BackendSlot, Long> reads = new IdentityHashMap<>();
    Map<String, Secret> hit = new LinkedHashMap<>();
    for (String key : list) {
      CacheEntry e = r.served.getIfPresent(key);
      BackendSlot slot = e == null ? null : e.slot;
      Secret s = e == null || e.value == null ? null : e.secret;
      if (e == null || s == null || slot == null) {
        return read(list);
      }
      if (!e.pinned()) {
        Long read = reads.putIfAbsent(slot, e.readId);
        if (read != null && read != e.readId) {
          return read(list); // one backend's keys came from two reads: read them together again
        }
      }
      hit.put(key, s);
    }
    return new SecretGroup(hit);
  }

  /** Reads the keys in one pass over the backends (pinned keys on their own) and caches them. */
  SecretGroup read(List<String> keys) {
    List<String> latest = new ArrayList<>();
    for (String key : keys) {
      if (!r.pins.containsKey(key)) {
        latest.add(key);
      }
    }
    Map<String, Outcome> outcomes = r.chain.latest(latest, false);
    List<SecretRotation> rotations = new ArrayList<>();
    Map<String, Secret> group = new LinkedHashMap<>();
    for (String key : keys) {
      Outcome o = outcomes.get(key);
      CacheEntry e = o == null ? null : r.apply(key, VersionSelector.latest(), o, false, rotations);
      Secret read = o == null ? null : o.secret();
      if (e == null && read != null && !r.pins.containsKey(key)) {
        // a newer read of this key was cached meanwhile and apply kept it: the group is still what this one
        // read found, since mixing in the newer value is the torn pair a group exists to prevent
        group.put(key, read);
      } else {
        group.put(key, r.secretOf(e != null ? e : r.entry(key)));
      }
    }
    r.notifications.rotated(rotations, r::readGroup);
    return new SecretGroup(group);
  }

  private static List<String> distinct(String[] keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("A group needs at least one key");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String key : keys) {
      distinct.add(Keys.requireValid(key));
    }
    return List.copyOf(distinct);
  }

  /**
   * Loads the keys not cached yet in one pass over the backends, so a backend that serves many keys per
   * request answers a start-up check with one request, not one per key.
   */
  void prefetch(Collection<String> keys) {
    List<String> cold = new ArrayList<>();
    for (String key : keys) {
      if (!r.servedMap.containsKey(key) && !r.pins.containsKey(key)) {
        cold.add(key);
      }
    }
    if (cold.size() < 2) {
      return;
    }
    Map<String, Outcome> outcomes = r.chain.latest(cold, true);
    for (String key : cold) {
      CacheEntry loaded = r.policy.next(key, VersionSelector.latest(), Outcome.of(outcomes, key), null, r.clock.instant(),
          ThreadLocalRandom.current().nextDouble());
      if (r.servedMap.putIfAbsent(key, loaded) == null) {
        r.refresher.schedule(loaded);
      }
    }
  }
}
