package org.nexusreussite.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.VersionSelector;

class InMemorySecretBackendTest {

  private final ManualClock clock = new ManualClock();
  private final InMemorySecretBackend backend = new InMemorySecretBackend("memory",
      Set.of(org.nexusreussite.secrets.spi.Capability.values()), clock);

  @Test
  void failsTheNextNCallsWithTheChosenException() {
    backend.put("KEY", "v");
    backend.failNext(2, () -> new BackendAuthenticationException("memory", "denied"));
    assertThatThrownBy(() -> backend.fetch("KEY", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class);
    assertThatThrownBy(() -> backend.fetchAll(List.of("KEY")))
        .isInstanceOf(BackendAuthenticationException.class);
    assertThat(backend.fetch("KEY", VersionSelector.latest())).isPresent();
    assertThat(backend.fetchCount()).isEqualTo(2);
    assertThat(backend.fetchCount("KEY")).isEqualTo(3);
    assertThat(backend.fetchAllCount()).isEqualTo(1);
  }

  @Test
  void failsAlwaysUntilRecovered() {
    backend.put("KEY", "v");
    backend.failNext(Integer.MAX_VALUE);
    assertThatThrownBy(() -> backend.fetch("KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(backend.health().status().name()).isEqualTo("DOWN");
    backend.recover();
    assertThat(backend.fetch("KEY", VersionSelector.latest())).isPresent();
  }

  @Test
  void stagesFollowRollbackAndWatchersHearChanges() {
    List<Set<String>> changes = new ArrayList<>();
    backend.watch(changes::add);
    backend.put("KEY", "one");
    backend.put("KEY", "two");
    assertThat(backend.fetch("KEY", VersionSelector.stage(InMemorySecretBackend.PREVIOUS)).orElseThrow().reveal())
        .isEqualTo("one");
    backend.rollback("KEY", backend.versions("KEY").get(1));
    assertThat(backend.fetch("KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("one");
    assertThat(backend.fetch("KEY", VersionSelector.previous()).orElseThrow().reveal()).isEqualTo("two");
    assertThat(changes).hasSize(3).allMatch(keys -> keys.equals(Set.of("KEY")));
  }

  @Test
  void stampsFetchesWithItsClockAndServesTheTtlHint() {
    backend.put("KEY", "v");
    backend.ttl(Duration.ofSeconds(30));
    clock.advance(Duration.ofMinutes(1));
    var secret = backend.fetch("KEY", VersionSelector.latest()).orElseThrow();
    assertThat(secret.fetchedAt()).isEqualTo(clock.instant());
    assertThat(secret.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(secret.version().createdAt()).contains(clock.instant().minus(Duration.ofMinutes(1)));
  }

  @Test
  void closeIsCountedAndRecorded() {
    backend.close();
    backend.close();
    assertThat(backend.closed()).isTrue();
    assertThat(backend.closeCount()).isEqualTo(2);
  }
}
