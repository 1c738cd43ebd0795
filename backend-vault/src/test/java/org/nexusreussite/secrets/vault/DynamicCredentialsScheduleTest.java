package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * The lease schedule on a fake clock: Vault's answers come from a tiny local HTTP server (the backend's
 * real HTTP stack), time from a manual clock, so renewal, replacement and revocation times are exact.
 */
class DynamicCredentialsScheduleTest {
  private static final String LOOKUP = "{\"data\":{\"ttl\":0,\"renewable\":false}}";
  private static final Duration LEASE = Duration.ofSeconds(60);
  /** The role's max TTL: renewals are cut short so that no lease outlives issue + 150 s. */
  private static final Duration MAX_TTL = Duration.ofSeconds(150);

  @TempDir
  Path home;

  private final RecordingProxy vault;
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicInteger issued = new AtomicInteger();
  private final Map<String, Instant> issuedAt = new HashMap<>();
  private final AtomicBoolean renewRefused = new AtomicBoolean();
  private final AtomicBoolean credsDown = new AtomicBoolean();
  /** Leases of 20 s that cannot be renewed: no longer than the test's 20 s margin. */
  private final AtomicBoolean shortNonRenewable = new AtomicBoolean();
  private VaultSecretBackend backend;

  DynamicCredentialsScheduleTest() throws Exception {
    vault = new RecordingProxy(null);
    vault.answer(l -> l.equals("GET /v1/auth/token/lookup-self"),
        b -> new RecordingProxy.Answer(200, "application/json", LOOKUP));
    vault.answer(l -> l.equals("GET /v1/database/creds/app"), b -> {
      if (credsDown.get()) {
        return new RecordingProxy.Answer(500, "application/json", "{\"errors\":[\"internal error\"]}");
      }
      int n = issued.incrementAndGet();
      issuedAt.put("database/creds/app/L" + n, clock.instant());
      boolean short20 = shortNonRenewable.get();
      return new RecordingProxy.Answer(200, "application/json", "{\"lease_id\":\"database/creds/app/L" + n
          + "\",\"lease_duration\":" + (short20 ? 20 : LEASE.toSeconds()) + ",\"renewable\":" + !short20
          + ",\"data\":{\"username\":\"u" + n
          + "\",\"password\":\"canary-p" + n + "\"}}");
    });
    vault.answer(l -> l.equals("PUT /v1/sys/leases/renew"), body -> {
      if (renewRefused.get()) {
        return new RecordingProxy.Answer(400, "application/json", "{\"errors\":[\"lease not found\"]}");
      }
      String lease = body.replaceAll(".*\"lease_id\":\"([^\"]+)\".*", "$1");
      Instant maxEnd = issuedAt.get(lease).plus(MAX_TTL);
      long granted = Math.min(LEASE.toSeconds(), Duration.between(clock.instant(), maxEnd).toSeconds());
      return new RecordingProxy.Answer(200, "application/json", "{\"lease_id\":\"" + lease
          + "\",\"lease_duration\":" + granted + ",\"renewable\":true}");
    });
    vault.answer(l -> l.equals("PUT /v1/sys/leases/revoke"), b -> new RecordingProxy.Answer(204, "", ""));
  }

  @AfterEach
  void close() {
    if (backend != null) {
      backend.close();
    }
    vault.close();
  }

  private VaultSecretBackend backend() {
    Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", vault.address(), "VAULT_TOKEN", "s.token",
        "SECRETS_VAULT_DYNAMIC", "DB_USER,DB_PASSWORD@database/creds/app", "SECRETS_VAULT_DYNAMIC_MARGIN", "20s",
        "SECRETS_VAULT_DYNAMIC_GRACE", "10s", "SECRETS_VAULT_RETRIES", "0"));
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> home)
        .create(TestBackendContext.of(VaultBackendProvider.ID, s).withScheduler(scheduler).withClock(clock));
    return backend;
  }

  private long count(String line) {
    return vault.count(l -> l.equals(line));
  }

  private Map<String, Secret> pair() {
    return backend.fetchAll(List.of("DB_USER", "DB_PASSWORD"));
  }

  @Test
  void renewsWhileVaultAllowsThenReplacesAMarginBeforeTheMaxTtlAndRevokesAfterTheGrace() {
    VaultSecretBackend b = backend();
    List<Set<String>> changes = new CopyOnWriteArrayList<>();
    b.watch(changes::add);
    assertThat(pair().get("DB_USER").value().reveal()).isEqualTo("u1");

    // lease ends at 60 s: renewed at min(2/3, end - margin) = 40 s, then every 40 s
    scheduler.advance(Duration.ofSeconds(39));
    assertThat(count("PUT /v1/sys/leases/renew")).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(count("PUT /v1/sys/leases/renew")).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(40)); // 80 s
    scheduler.advance(Duration.ofSeconds(40)); // 120 s: granted 30 s only (max TTL at 150 s)
    assertThat(count("PUT /v1/sys/leases/renew")).isEqualTo(3);
    assertThat(count("GET /v1/database/creds/app")).isEqualTo(1);
    assertThat(changes).isEmpty();

    // replaced at 150 - 20 = 130 s
    scheduler.advance(Duration.ofSeconds(9));
    assertThat(count("GET /v1/database/creds/app")).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(count("GET /v1/database/creds/app")).isEqualTo(2);
    assertThat(changes).containsExactly(Set.of("DB_USER", "DB_PASSWORD"));
    Map<String, Secret> now = pair();
    assertThat(now.get("DB_USER").value().reveal()).isEqualTo("u2");
    assertThat(now.get("DB_PASSWORD").value().reveal()).isEqualTo("canary-p2");
    assertThat(now.get("DB_USER").version().id()).isEqualTo("2");
    assertThat(count("GET /v1/database/creds/app")).as("served from the lease, no read").isEqualTo(2);

    // the old lease is revoked 10 s (the grace) after the switch, not before
    scheduler.advance(Duration.ofSeconds(9));
    assertThat(count("PUT /v1/sys/leases/revoke")).isZero();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(count("PUT /v1/sys/leases/revoke")).isEqualTo(1);
    assertThat(b.reportedState()).isEmpty();
  }

  @Test
  void aRefusedRenewalServesTheCurrentPairReportsDegradedAndRetriesUntilNewCredentialsCome() {
    VaultSecretBackend b = backend();
    pair();
    renewRefused.set(true);
    credsDown.set(true);

    scheduler.advance(Duration.ofSeconds(40)); // renewal refused, new credentials cannot be read either
    scheduler.runDue();

    assertThat(b.reportedState()).hasValueSatisfying(h -> {
      assertThat(h.status()).isEqualTo(BackendHealth.Status.DEGRADED);
      assertThat(h.detail()).contains("database/creds/app").contains("served until their lease ends")
          .doesNotContain("canary").doesNotContain("L1");
    });
    assertThat(pair().get("DB_USER").value().reveal()).isEqualTo("u1");

    credsDown.set(false);
    scheduler.advance(Duration.ofSeconds(2)); // the first retry (1 s), and maybe the second
    assertThat(b.reportedState()).isEmpty();
    assertThat(pair().get("DB_USER").value().reveal()).isEqualTo("u2");
  }

  @Test
  void closeRevokesTheCurrentLease() {
    VaultSecretBackend b = backend();
    pair();

    b.close();

    assertThat(count("PUT /v1/sys/leases/revoke")).isEqualTo(1);
  }

  @Test
  @org.junit.jupiter.api.Timeout(20)
  void aLeaseNoLongerThanTheMarginIsReplacedAThirdOfTheWayInNotInATightLoop() {
    shortNonRenewable.set(true);
    VaultSecretBackend b = backend();
    pair();

    scheduler.advance(Duration.ofSeconds(6)); // before the fix: replaced at once, again and again
    assertThat(count("GET /v1/database/creds/app")).isEqualTo(1);
    scheduler.advance(Duration.ofSeconds(1)); // 20 s / 3
    assertThat(count("GET /v1/database/creds/app")).isEqualTo(2);
    assertThat(b.reportedState()).isEmpty();
  }

  @Test
  void healthIsDownOnceTheServedCredentialsHaveExpired() {
    VaultSecretBackend b = backend();
    pair();
    renewRefused.set(true);
    credsDown.set(true);

    scheduler.advance(Duration.ofSeconds(40)); // renewal refused, new credentials cannot be read
    assertThat(b.reportedState()).hasValueSatisfying(h -> assertThat(h.status())
        .isEqualTo(BackendHealth.Status.DEGRADED));
    scheduler.advance(Duration.ofSeconds(21)); // the lease ended at 60 s

    assertThat(b.reportedState()).hasValueSatisfying(h -> {
      assertThat(h.status()).isEqualTo(BackendHealth.Status.DOWN);
      assertThat(h.detail()).contains("lease ended at").contains("database/creds/app").doesNotContain("canary");
    });
  }
}
