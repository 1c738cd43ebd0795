package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class CacheAndRefreshTest {

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend vault = f.backend("vault");

  @Test
  void aHitDoesNotAskTheBackend() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      for (int i = 0; i < 100; i++) {
        assertThat(r.resolve("KEY")).isEqualTo("v1");
      }
      assertThat(vault.fetchCount("KEY")).isEqualTo(1);
    }
  }

  @Test
  void aRotationIsPickedUpAfterTheRefreshIntervalAndListenersFireOnce() throws Exception {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretRotation> forKey = new ArrayList<>();
      List<SecretRotation> global = new ArrayList<>();
      r.onRotation("KEY", forKey::add);
      r.onRotation(global::add);
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      vault.put("KEY", "v2");
      assertThat(r.resolve("KEY")).as("cached until the refresh").isEqualTo("v1");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(r.resolve("KEY")).isEqualTo("v2");
      assertThat(forKey).hasSize(1);
      assertThat(global).hasSize(1);
      SecretRotation rotation = forKey.get(0);
      assertThat(rotation.key()).isEqualTo("KEY");
      assertThat(rotation.previous().orElseThrow().version().id()).isEqualTo("1");
      assertThat(rotation.current().version().id()).isEqualTo("2");
      f.scheduler.advance(ResolverFixture.REFRESH.multipliedBy(3));
      assertThat(forKey).as("identical refreshes are not rotations").hasSize(1);
      assertThat(vault.fetchCount("KEY")).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void aClosedRotationSubscriptionHearsNothing() throws Exception {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretRotation> heard = new ArrayList<>();
      Subscription subscription = r.onRotation("KEY", heard::add);
      r.resolve("KEY");
      subscription.close();
      vault.put("KEY", "v2");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).isEmpty();
    }
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheOthers() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretRotation> heard = new ArrayList<>();
      r.onRotation("KEY", rotation -> {
        throw new IllegalStateException("listener bug");
      });
      r.onRotation("KEY", heard::add);
      r.resolve("KEY");
      vault.put("KEY", "v2");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(heard).hasSize(1);
    }
  }

  @Test
  void refreshIsScheduledWithJitterWithinTheInterval() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      Instant start = f.clock.instant();
      r.resolve("KEY");
      Instant due = r.inspect().explain("KEY").refreshDue().orElseThrow();
      assertThat(due).isAfterOrEqualTo(start.plus(ResolverFixture.REFRESH.multipliedBy(9).dividedBy(10)))
          .isBeforeOrEqualTo(start.plus(ResolverFixture.REFRESH));
    }
  }

  @Test
  void aBackendTtlShortensTheRefresh() {
    vault.ttl(Duration.ofSeconds(20)).put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      Instant start = f.clock.instant();
      r.resolve("KEY");
      assertThat(r.inspect().explain("KEY").refreshDue().orElseThrow()).isBeforeOrEqualTo(start.plusSeconds(20));
      vault.put("KEY", "v2");
      f.scheduler.advance(Duration.ofSeconds(20));
      assertThat(r.resolve("KEY")).isEqualTo("v2");
    }
  }

  @Test
  void keysOfOneBackendAreRefreshedInOneBatch() {
    InMemorySecretBackend vault = new InMemorySecretBackend("vault",
        java.util.EnumSet.of(org.nexusreussite.secrets.spi.Capability.VERSIONS), f.clock);
    vault.put("A", "a");
    vault.put("B", "b");
    vault.put("C", "c");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("A");
      r.resolve("B");
      r.resolve("C");
      vault.resetCounters();
      vault.put("B", "b2");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(vault.fetchAllCount()).isEqualTo(1);
      assertThat(vault.fetchCount()).isZero();
      assertThat(r.resolve("B")).isEqualTo("b2");
    }
  }

  @Test
  void staleIsServedUntilMaxStaleThenTheErrorThenRecovery() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      vault.failAlways(() -> new BackendUnavailableException("vault", "Verify network connectivity to Vault"));
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(r.resolve("KEY")).as("stale within max-stale").isEqualTo("v1");
      assertThat(r.inspect().explain("KEY").cacheState()).isEqualTo(SecretExplanation.CacheState.STALE);
      assertThat(r.inspect().health()).singleElement().extracting(BackendHealth::status)
          .isEqualTo(BackendHealth.Status.DEGRADED);

      f.scheduler.advance(ResolverFixture.MAX_STALE);
      assertThatThrownBy(() -> r.resolve("KEY")).isInstanceOf(BackendUnavailableException.class)
          .hasMessageContaining("Verify network connectivity");
      assertThat(r.inspect().health()).singleElement().extracting(BackendHealth::status)
          .isEqualTo(BackendHealth.Status.DOWN);

      vault.recover();
      vault.put("KEY", "v2");
      f.scheduler.advance(Duration.ofSeconds(30));
      assertThat(r.resolve("KEY")).as("recovers by itself").isEqualTo("v2");
      assertThat(r.inspect().health()).singleElement().extracting(BackendHealth::status)
          .isEqualTo(BackendHealth.Status.UP);
    }
  }

  @Test
  void aFailedFirstLoadIsRetriedWithBackoff() {
    vault.put("KEY", "v1");
    vault.failNext(1);
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.resolve("KEY")).isInstanceOf(BackendUnavailableException.class);
      assertThatThrownBy(() -> r.resolve("KEY")).as("no retry storm from readers")
          .isInstanceOf(BackendUnavailableException.class);
      assertThat(vault.fetchCount("KEY")).isEqualTo(1);
      f.scheduler.advance(Duration.ofSeconds(1));
      assertThat(r.resolve("KEY")).isEqualTo("v1");
    }
  }

  @Test
  void aMissingKeyIsRememberedForTheNegativeTtl() {
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.resolve("LATE")).isInstanceOf(SecretNotFoundException.class);
      vault.put("LATE", "here now");
      assertThatThrownBy(() -> r.resolve("LATE")).isInstanceOf(SecretNotFoundException.class);
      assertThat(vault.fetchCount("LATE")).isEqualTo(1);
      f.scheduler.advance(ResolverFixture.NEGATIVE_TTL);
      assertThat(r.resolve("LATE")).isEqualTo("here now");
    }
  }

  @Test
  void sixtyFourThreadsOnAColdKeyMakeOneBackendCall() throws Exception {
    vault.put("COLD", "value");
    vault.latency(Duration.ofMillis(100));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(64);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return r.resolve("COLD");
        }));
      }
      go.countDown();
      for (Future<String> result : results) {
        assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("value");
      }
      pool.shutdownNow();
      assertThat(vault.fetchCount("COLD")).isEqualTo(1);
    }
  }

  @Test
  void refreshAllAsksEachBackendOnceOffTheCallersThread() {
    // without WATCH: the put below must not start a refresh of its own
    InMemorySecretBackend vault = new InMemorySecretBackend("vault",
        java.util.EnumSet.of(org.nexusreussite.secrets.spi.Capability.VERSIONS), f.clock);
    vault.put("A", "a");
    vault.put("B", "b");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("A");
      r.resolve("B");
      vault.resetCounters();
      vault.put("A", "a2");
      java.util.concurrent.CompletableFuture<Void> done = r.admin().refresh();
      assertThat(vault.fetchAllCount()).as("nothing runs on the caller's thread").isZero();
      assertThat(done).isNotDone();
      f.scheduler.runDue();
      assertThat(done).as("something to wait on").isCompleted();
      assertThat(vault.fetchAllCount()).isEqualTo(1);
      assertThat(r.resolve("A")).isEqualTo("a2");
    }
  }

  @Test
  void watchNotificationsRefreshTheChangedKeys() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretRotation> heard = new ArrayList<>();
      r.onRotation(heard::add);
      r.resolve("KEY");
      vault.put("KEY", "v2");
      f.scheduler.runDue();
      assertThat(r.resolve("KEY")).isEqualTo("v2");
      assertThat(heard).hasSize(1);
    }
  }

  @Test
  void aClosedResolverRefusesReadsAndClosesItsBackends() {
    SecretResolver r = f.builder().backend(vault, 300).build();
    r.close();
    r.close();
    assertThat(vault.closeCount()).isEqualTo(1);
    assertThatThrownBy(() -> r.resolve("KEY")).isInstanceOf(IllegalStateException.class);
    assertThat(f.scheduler.pending()).isZero();
  }

  @Test
  void requiredKeysAreCheckedAtStartWithOneRequestPerBackend() {
    vault.put("SECRET_KEY", "a");
    vault.put("JWT_SECRET_KEY", "b");
    vault.put("DATABASE_URL", "c");
    try (SecretResolver r = f.builder().backend(vault, 300)
        .require("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL").build()) {
      assertThat(vault.fetchAllCount()).isEqualTo(1);
      assertThat(vault.fetchCount()).isZero();
      assertThat(r.resolve("DATABASE_URL")).isEqualTo("c");
      assertThat(vault.fetchAllCount()).as("served from the start-up check").isEqualTo(1);
    }
  }
}
