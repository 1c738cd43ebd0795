package org.nexusreussite.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;

/** The resolver's store: a plain map for the first reads, Caffeine from the first refresh or a full map. */
class EntryStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static CacheEntry missing(String key) {
    return CacheEntry.notFound(key, VersionSelector.latest(), Map.of(), List.of(), T0);
  }

  @Test
  void firstReadsStayInThePlainMapAndLoadOncePerKey() {
    EntryStore store = new EntryStore(10_000, EntryStore.retiring());
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      store.get("KEY", k -> {
        loads.incrementAndGet();
        return missing(k);
      });
    }
    assertThat(loads).hasValue(1);
    assertThat(store.isPromoted()).isFalse();
    assertThat(store.getIfPresent("KEY")).isNotNull();
  }

  @Test
  void promotionKeepsEveryEntryAndLaterWritesGoToCaffeine() {
    EntryStore store = new EntryStore(10_000, EntryStore.retiring());
    CacheEntry a = store.get("A", EntryStoreTest::missing);
    store.promoteIfPossible();
    assertThat(store.isPromoted()).isTrue();
    assertThat(store.getIfPresent("A")).isSameAs(a);
    store.asMap().put("B", missing("B"));
    assertThat(store.asMap()).containsOnlyKeys("A", "B");
    assertThat(store.asMap().remove("A", a)).isTrue();
    assertThat(store.getIfPresent("A")).isNull();
  }

  @Test
  void thePlainMapNeverHoldsMoreThanMaximumSizeKeys() {
    int bound = 5;
    EntryStore store = new EntryStore(bound, EntryStore.retiring());
    for (int i = 0; i < bound; i++) {
      store.get("K" + i, EntryStoreTest::missing);
    }
    assertThat(store.isPromoted()).as("full, not over").isFalse();
    store.get("K" + bound, EntryStoreTest::missing);
    assertThat(store.isPromoted()).as("one more key promotes").isTrue();
    store.cleanUp();
    assertThat(store.size()).isLessThanOrEqualTo(bound);
  }

  @Test
  void thePlainMapIsBoundedByItsOwnLimitWhenMaximumSizeIsLarger() {
    EntryStore store = new EntryStore(1_000_000, EntryStore.retiring());
    for (int i = 0; i < EntryStore.PLAIN_LIMIT; i++) {
      store.asMap().putIfAbsent("K" + i, missing("K" + i));
    }
    assertThat(store.isPromoted()).isFalse();
    store.asMap().compute("ONE_MORE", (k, prev) -> missing(k));
    assertThat(store.isPromoted()).isTrue();
    assertThat(store.size()).isEqualTo(EntryStore.PLAIN_LIMIT + 1L);
  }

  @Test
  void aLoaderThatReadsAnotherKeyDoesNotDeadlockWhenTheMapIsFull() {
    EntryStore store = new EntryStore(1, EntryStore.retiring());
    CacheEntry outer = store.get("OUTER", k -> {
      store.get("INNER", EntryStoreTest::missing); // a listener reading another key during a load
      return missing(k);
    });
    assertThat(outer.key).isEqualTo("OUTER");
    store.get("THIRD", EntryStoreTest::missing);
    assertThat(store.isPromoted()).isTrue();
  }

  @Test
  void aRefreshDoesNotWaitForALoadInFlight() throws Exception {
    EntryStore store = new EntryStore(10_000, EntryStore.retiring());
    java.util.concurrent.CountDownLatch loading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Thread loader = new Thread(() -> store.get("SLOW", k -> {
      loading.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return missing(k);
    }));
    loader.start();
    loading.await();
    assertThat(store.promoteIfPossible()).as("a load holds the plain map: try again later").isNull();
    release.countDown();
    loader.join(Duration.ofSeconds(10).toMillis());
    assertThat(store.promoteIfPossible()).isNotNull();
    assertThat(store.getIfPresent("SLOW")).isNotNull();
  }

  @Test
  void concurrentFirstReadsAndAPromotionLoseNoWrite() throws Exception {
    EntryStore store = new EntryStore(100_000, EntryStore.retiring());
    int threads = 4;
    int perThread = 2_000;
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          store.get("T" + id + "_" + i, EntryStoreTest::missing);
          if (id == 0 && i == 100) {
            store.promoteIfPossible();
          }
        }
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join(Duration.ofSeconds(30).toMillis());
    }
    assertThat(store.isPromoted()).isTrue();
    assertThat(store.size()).isEqualTo((long) threads * perThread);
  }

  @Test
  void aSiblingIsUsedOnceAndOnlyBeforeItExpires() {
    MutableClock clock = new MutableClock();
    SiblingSnapshot snapshot = new SiblingSnapshot(10, Duration.ofSeconds(10), clock);
    Secret s = Secret.of("A", SecretValue.of("v"), SecretVersion.of("1"), "dotenv", T0);
    snapshot.put("A", s, 1);
    assertThat(snapshot.take("A")).isNotNull();
    assertThat(snapshot.take("A")).as("taken once").isNull();
    snapshot.put("A", s, 2);
    clock.millis += 10_000;
    assertThat(snapshot.take("A")).as("expired").isNull();
  }

  @Test
  void aFullSiblingSnapshotDropsExpiredOnesAndKeepsNoMore() {
    MutableClock clock = new MutableClock();
    SiblingSnapshot snapshot = new SiblingSnapshot(3, Duration.ofSeconds(10), clock);
    Secret s = Secret.of("A", SecretValue.of("v"), SecretVersion.of("1"), "dotenv", T0);
    for (int i = 0; i < 10; i++) {
      snapshot.put("K" + i, s, i);
    }
    assertThat(snapshot.size()).isEqualTo(3);
    clock.millis += 10_000;
    snapshot.put("NEW", s, 11);
    assertThat(snapshot.size()).as("expired ones purged").isEqualTo(1);
  }

  private static final class MutableClock extends Clock {
    long millis = T0.toEpochMilli();

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }
}
