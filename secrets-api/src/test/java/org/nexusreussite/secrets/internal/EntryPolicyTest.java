package org.nexusreussite.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.VersionScope;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** The entry state machine, backoff and jitter as pure functions: no scheduler, no clock. */
class EntryPolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final EntryPolicy policy = new EntryPolicy(Duration.ofMinutes(5), Duration.ofHours(1),
      Duration.ofSeconds(30));
  private final BackendSlot slot = new BackendSlot(new InMemorySecretBackend("vault"), 300, 0);
  private final BackendUnavailableException down = new BackendUnavailableException("vault", "down");

  private static Secret secret(String value, String version) {
    return Secret.of("KEY", SecretValue.of(value), SecretVersion.of(version), "vault", T0);
  }

  private CacheEntry value() {
    return policy.next("KEY", VersionSelector.latest(), Outcome.found(secret("v", "1"), slot, 7), null, T0, 0);
  }

  private Outcome failure() {
    return Outcome.failed(down, slot, Map.of("vault", "unreachable"), List.of("vault"));
  }

  @Test
  void aFoundValueIsRefreshedAfterTheIntervalLessUpToATenthOfJitter() {
    CacheEntry e = value();
    assertThat(e.kind).isEqualTo(CacheEntry.Kind.VALUE);
    assertThat(e.value).isEqualTo("v");
    assertThat(e.readId).isEqualTo(7);
    assertThat(e.refreshDue).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(policy.refreshDelay(secret("v", "1"), 0.999_999)).isBetween(Duration.ofSeconds(270),
        Duration.ofSeconds(271));
  }

  @Test
  void aShorterLeaseShortensTheRefresh() {
    Secret leased = new Secret("KEY", SecretValue.of("v"), SecretVersion.of("1"), "vault", T0,
        Duration.ofSeconds(60));
    assertThat(policy.refreshDelay(leased, 0)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void notFoundIsRememberedForTheNegativeTtl() {
    CacheEntry e = policy.next("KEY", VersionSelector.latest(), Outcome.notFound(Map.of(), List.of("vault")),
        null, T0, 0.5);
    assertThat(e.kind).isEqualTo(CacheEntry.Kind.NOT_FOUND);
    assertThat(e.refreshDue).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void backoffDoublesFromOneSecondToTwentyWithJitterBetweenHalfAndAll() {
    assertThat(EntryPolicy.backoff(1, 0)).isEqualTo(Duration.ofMillis(500));
    assertThat(EntryPolicy.backoff(1, 0.999)).isBetween(Duration.ofMillis(990), Duration.ofMillis(1000));
    assertThat(EntryPolicy.backoff(3, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(EntryPolicy.backoff(30, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(EntryPolicy.backoff(30, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void failuresServeTheOldValueUntilMaxStaleAfterTheFirstFailureThenFail() {
    CacheEntry stale = policy.next("KEY", VersionSelector.latest(), failure(), value(), T0.plusSeconds(300), 0);
    assertThat(stale.stale()).isTrue();
    assertThat(stale.value).isEqualTo("v");
    assertThat(stale.failingSince).isEqualTo(T0.plusSeconds(300));
    assertThat(policy.staleDeadline(stale)).isEqualTo(T0.plusSeconds(300).plus(Duration.ofHours(1)));

    CacheEntry again = policy.next("KEY", VersionSelector.latest(), failure(), stale, T0.plusSeconds(400), 0);
    assertThat(again.failingSince).as("counted from the first failure").isEqualTo(T0.plusSeconds(300));
    assertThat(again.failures).isEqualTo(2);
    assertThat(again.readId).as("still the values of one read").isEqualTo(7);

    CacheEntry late = policy.next("KEY", VersionSelector.latest(), failure(), again,
        T0.plusSeconds(300).plus(Duration.ofHours(1)), 0);
    assertThat(late.kind).isEqualTo(CacheEntry.Kind.FAILED);
    assertThat(late.value).isNull();
  }

  @Test
  void theDeadlineExpiresAStaleEntryKeepingItsRetryTime() {
    CacheEntry stale = policy.next("KEY", VersionSelector.latest(), failure(), value(), T0, 0);
    CacheEntry expired = EntryPolicy.expired(stale);
    assertThat(expired.kind).isEqualTo(CacheEntry.Kind.FAILED);
    assertThat(expired.value).isNull();
    assertThat(expired.refreshDue).isEqualTo(stale.refreshDue);
    assertThat(expired.error).isSameAs(down);
    assertThatThrownBy(() -> EntryPolicy.expired(value())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutMaxStaleAFailureFailsAtOnce() {
    EntryPolicy strict = new EntryPolicy(Duration.ofMinutes(5), Duration.ZERO, Duration.ofSeconds(30));
    CacheEntry prev = strict.next("KEY", VersionSelector.latest(), Outcome.found(secret("v", "1"), slot, 1),
        null, T0, 0);
    assertThat(strict.next("KEY", VersionSelector.latest(), failure(), prev, T0, 0).kind)
        .isEqualTo(CacheEntry.Kind.FAILED);
  }

  @Test
  void aRotationIsANewValueOrANewVersionOfAKeyVersionedOnItsOwn() {
    Secret v1 = secret("a", "1");
    assertThat(EntryPolicy.isRotation(v1, secret("b", "1"), VersionScope.SOURCE)).isTrue();
    assertThat(EntryPolicy.isRotation(v1, secret("a", "2"), VersionScope.SOURCE)).isFalse();
    assertThat(EntryPolicy.isRotation(v1, secret("a", "2"), VersionScope.KEY)).isTrue();
    assertThat(EntryPolicy.isRotation(v1, secret("a", "1"), VersionScope.KEY)).isFalse();
    assertThat(EntryPolicy.isRotation(null, v1, VersionScope.KEY)).as("a first load is no rotation").isFalse();
  }
}
