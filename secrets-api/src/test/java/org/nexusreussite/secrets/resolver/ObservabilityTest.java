package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.SecretsListener;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class ObservabilityTest {

  private final ResolverFixture f = new ResolverFixture();
  /** Without WATCH, so only the scheduled refreshes ask the backend. */
  private final InMemorySecretBackend vault = new InMemorySecretBackend("vault",
      java.util.EnumSet.of(org.nexusreussite.secrets.spi.Capability.VERSIONS), f.clock);

  @Test
  void explainTellsWhereAValueCameFromWithoutRevealingIt() {
    vault.put("DATABASE_URL", "postgres://secret");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("DATABASE_URL");
      SecretExplanation why = r.inspect().explain("DATABASE_URL");
      assertThat(why.backend()).contains("vault");
      assertThat(why.version().orElseThrow().id()).isEqualTo("1");
      assertThat(why.fetchedAt()).contains(f.clock.instant());
      assertThat(why.cacheState()).isEqualTo(SecretExplanation.CacheState.FRESH);
      assertThat(why.fingerprint()).contains(r.secret("DATABASE_URL").fingerprint());
      assertThat(why.pinnedVersion()).isEmpty();
      assertThat(why.refreshDue()).isPresent();
      assertThat(why.toString()).contains("DATABASE_URL").contains("vault").doesNotContain("postgres://secret");
      long asked = vault.fetchAllCount() + vault.fetchCount();
      assertThat(r.inspect().explain("ABSENT").cacheState()).as("never read: explain does not fetch")
          .isEqualTo(SecretExplanation.CacheState.NOT_CACHED);
      assertThat(vault.fetchAllCount() + vault.fetchCount()).isEqualTo(asked);
      r.find("ABSENT");
      assertThat(r.inspect().explain("ABSENT").cacheState()).isEqualTo(SecretExplanation.CacheState.NOT_FOUND);
    }
  }

  @Test
  void listenersHearLookupsAndFailuresButNotHitsAndRotationsHaveOneChannel() {
    List<String> events = new ArrayList<>();
    SecretsListener listener = new SecretsListener() {
      @Override
      public void onLookup(String key, String backend, Outcome outcome, Duration elapsed) {
        events.add("lookup " + key + " " + backend + " " + outcome);
      }

      @Override
      public void onBackendFailure(String backend, SecretsException error) {
        events.add("failure " + backend);
      }
    };
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).listener(listener).build()) {
      r.onRotation(rotation -> events.add("rotation " + rotation.key()));
      r.resolve("KEY");
      r.resolve("KEY");
      r.find("ABSENT");
      vault.put("KEY", "v2");
      f.scheduler.advance(ResolverFixture.REFRESH);
      vault.failAlways(() -> new org.nexusreussite.secrets.BackendUnavailableException("vault", "down"));
      f.scheduler.advance(ResolverFixture.REFRESH);
    }
    assertThat(events).as("the second read of KEY is a hit and is not reported")
        .startsWith("lookup KEY vault FOUND", "lookup ABSENT none NOT_FOUND", "lookup KEY vault FOUND",
            "rotation KEY")
        .containsSubsequence("failure vault", "lookup KEY vault ERROR")
        .containsOnlyOnce("rotation KEY");
  }

  @Test
  void listenersHearEachRefreshBatchWithItsSizeOutcomeAndTime() {
    List<String> refreshes = new ArrayList<>();
    SecretsListener listener = new SecretsListener() {
      @Override
      public void onRefresh(String backend, int keys, boolean succeeded, Duration elapsed) {
        assertThat(elapsed.isNegative()).isFalse();
        refreshes.add(backend + " " + keys + " " + (succeeded ? "ok" : "failed"));
      }
    };
    vault.put("A", "a-value");
    vault.put("B", "b-value");
    try (SecretResolver r = f.builder().backend(vault, 300).listener(listener).build()) {
      r.resolve("A");
      r.resolve("B");
      assertThat(refreshes).as("loads are lookups, not refreshes").isEmpty();
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(refreshes).as("one batch for the backend's two keys").containsExactly("vault 2 ok");
      vault.failAlways(() -> new org.nexusreussite.secrets.BackendUnavailableException("vault", "down"));
      java.util.concurrent.CompletableFuture<Void> done = r.admin().refresh();
      f.scheduler.runDue();
      assertThat(done).isCompleted();
      assertThat(refreshes).last().isEqualTo("vault 2 failed");
    }
  }

  @Test
  void healthReportsLastSuccessLastFailureAndTheError() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      BackendHealth notAsked = r.inspect().health().get(0);
      assertThat(notAsked.status()).as("health() asks no store").isEqualTo(BackendHealth.Status.UNKNOWN);
      assertThat(notAsked.detail()).isEqualTo("not asked yet");
      BackendHealth probed = r.inspect().probeHealth().get(0);
      assertThat(probed.status()).as("a live probe on request").isEqualTo(BackendHealth.Status.UP);
      assertThat(probed.detail()).isEqualTo("probe: in-memory");
      r.resolve("KEY");
      BackendHealth up = r.inspect().health().get(0);
      assertThat(up.status()).isEqualTo(BackendHealth.Status.UP);
      assertThat(up.lastSuccess()).contains(f.clock.instant());
      vault.failAlways(() -> new org.nexusreussite.secrets.BackendUnavailableException("vault",
          "injected failure"));
      f.scheduler.advance(ResolverFixture.REFRESH);
      BackendHealth degraded = r.inspect().health().get(0);
      assertThat(degraded.status()).isEqualTo(BackendHealth.Status.DEGRADED);
      assertThat(degraded.lastFailure()).isPresent();
      assertThat(degraded.lastError().orElseThrow()).contains("injected failure");
    }
  }

  @Test
  void lookupsAreAuditedWithKeyBackendAndOutcome() {
    Logger audit = Logger.getLogger("org.nexusreussite.secrets.audit");
    List<String> records = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Level previous = audit.getLevel();
    audit.setLevel(Level.ALL);
    audit.addHandler(handler);
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("KEY");
      assertThatThrownBy(() -> r.resolve("ABSENT")).isNotNull();
    } finally {
      audit.removeHandler(handler);
      audit.setLevel(previous);
    }
    assertThat(records).contains("lookup key=KEY backend=vault outcome=found",
        "lookup key=ABSENT backend=none outcome=not_found");
  }
}
