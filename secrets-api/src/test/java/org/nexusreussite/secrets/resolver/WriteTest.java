package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.RotationPolicy;
import org.nexusreussite.secrets.SecretGenerators;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VerificationFailedException;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class WriteTest {
  private static final String CANARY = "canary-7f3e-write-value";

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend vault = f.backend("vault");

  @Test
  void aWriteIsReadAtOnceAndFiresTheRotationListenerOnce() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretRotation> seen = new ArrayList<>();
      r.onRotation("KEY", seen::add);
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      SecretWrite w = r.admin().write("KEY", SecretValue.of(CANARY), WriteOptions.defaults());
      assertThat(r.resolve("KEY")).isEqualTo(CANARY);
      assertThat(w.previous().orElseThrow().id()).isEqualTo("1");
      assertThat(w.current().id()).isEqualTo("2");
      assertThat(w.backend()).isEqualTo("vault");
      assertThat(w.toString()).doesNotContain(CANARY).contains("1 -> 2");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).current().version().id()).isEqualTo("2");
    }
  }

  @Test
  void aWriterWhoseExpectedVersionIsStaleLosesAndOverwritesNothing() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("KEY");
      vault.put("KEY", "someone-else");
      assertThatThrownBy(() -> r.admin().write("KEY", SecretValue.of(CANARY),
          WriteOptions.builder().expectedVersion("1").build()))
          .isInstanceOf(WriteConflictException.class)
          .hasMessageContaining("'KEY'").hasMessageContaining("lost to version 2")
          .hasMessageContaining("expected version 1")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("someone-else"));
      assertThat(r.resolve("KEY")).isEqualTo("someone-else");
    }
  }

  @Test
  void aReadOnlyBackendRefusesWithTheCapability() {
    InMemorySecretBackend files = new InMemorySecretBackend("dotenv", EnumSet.noneOf(Capability.class), f.clock);
    files.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(files, 100).build()) {
      assertThatThrownBy(() -> r.admin().write("KEY", SecretValue.of(CANARY), WriteOptions.defaults()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("dotenv").hasMessageContaining("WRITE");
      assertThat(r.inspect().describe().toString()).contains("read-only");
    }
  }

  @Test
  void describeSaysWhichBackendsAreWritable() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(r.inspect().describe().toString()).contains("writable");
    }
  }

  @Test
  void aMissingKeyIsCreatedOnlyWhenAsked() {
    vault.put("OTHER", "x");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.admin().write("NEW", SecretValue.of(CANARY), WriteOptions.defaults()))
          .isInstanceOf(SecretNotFoundException.class);
      assertThat(r.find("NEW")).isEmpty();
      SecretWrite w = r.admin().write("NEW", SecretValue.of(CANARY),
          WriteOptions.builder().createIfMissing(true).build());
      assertThat(w.previous()).isEmpty();
      assertThat(r.resolve("NEW")).as("the remembered miss is replaced").isEqualTo(CANARY);
    }
  }

  @Test
  void aRefusedVerificationWritesThePreviousValueBack() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.resolve("KEY");
      WriteOptions verify = WriteOptions.builder().verifier((k, v) -> {
        throw new IllegalStateException("login failed with " + v.reveal());
      }).build();
      assertThatThrownBy(() -> r.admin().write("KEY", SecretValue.of(CANARY), verify))
          .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
            assertThat(e.outcome()).isEqualTo(VerificationFailedException.Outcome.ROLLED_BACK);
            assertThat(e.getMessage()).contains("'KEY'").contains("version 2").doesNotContain(CANARY);
            assertThat(e.getCause()).isNull();
          });
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      assertThat(r.admin().versions("KEY").get(0).id()).isEqualTo("3");
    }
  }

  /** Delegates to a store; the writes numbered in {@link #failingWrites} (1-based) fail as an outage would. */
  static final class FlakyWrites implements SecretBackend {
    final InMemorySecretBackend store;
    final java.util.Set<Integer> failingWrites;
    final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();

    FlakyWrites(InMemorySecretBackend store, java.util.Set<Integer> failingWrites) {
      this.store = store;
      this.failingWrites = failingWrites;
    }

    @Override
    public String id() {
      return store.id();
    }

    @Override
    public java.util.Set<org.nexusreussite.secrets.spi.Capability> capabilities() {
      return java.util.EnumSet.of(org.nexusreussite.secrets.spi.Capability.WRITE,
          org.nexusreussite.secrets.spi.Capability.VERSIONS);
    }

    @Override
    public java.util.Optional<org.nexusreussite.secrets.Secret> fetch(String key,
        org.nexusreussite.secrets.VersionSelector version) {
      return store.fetch(key, version);
    }

    @Override
    public List<org.nexusreussite.secrets.SecretVersion> versions(String key) {
      return store.versions(key);
    }

    @Override
    public org.nexusreussite.secrets.SecretVersion write(String key, SecretValue value, WriteOptions options) {
      if (failingWrites.contains(writes.incrementAndGet())) {
        throw new org.nexusreussite.secrets.BackendUnavailableException(id(), "injected: store did not answer");
      }
      return store.write(key, value, options);
    }
  }

  /** Writes CANARY over KEY=v1 through {@code flaky} with a verifier that refuses it; returns the refusal. */
  private VerificationFailedException refusedWrite(FlakyWrites flaky) {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(flaky, 300).build()) {
      r.resolve("KEY");
      WriteOptions verify = WriteOptions.builder().verifier((k, v) -> {
        throw VerificationFailedException.reason("refused");
      }).build();
      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
          () -> r.admin().write("KEY", SecretValue.of(CANARY), verify));
      assertThat(thrown).isInstanceOf(VerificationFailedException.class);
      return (VerificationFailedException) thrown;
    }
  }

  @Test
  void aRestoreThatFailsOnceIsTriedAgain() {
    FlakyWrites flaky = new FlakyWrites(vault, java.util.Set.of(2)); // the write, then a failed restore
    assertThat(refusedWrite(flaky).outcome()).isEqualTo(VerificationFailedException.Outcome.ROLLED_BACK);
    assertThat(vault.fetch("KEY", org.nexusreussite.secrets.VersionSelector.latest()).orElseThrow().value().reveal())
        .isEqualTo("v1");
    assertThat(flaky.writes).hasValue(3);
  }

  @Test
  void aRestoreThatKeepsFailingLeavesTheRefusedValueCurrentAndSaysWhatToDo() {
    FlakyWrites flaky = new FlakyWrites(vault, java.util.Set.of(2, 3));
    VerificationFailedException e = refusedWrite(flaky);
    assertThat(e.outcome()).isEqualTo(VerificationFailedException.Outcome.LEFT_CURRENT);
    assertThat(e.getMessage()).contains("secrets explain KEY").contains("secrets set KEY").doesNotContain(CANARY);
    assertThat(flaky.writes).as("the write and two restore attempts").hasValue(3);
  }

  @Test
  void aVerifierReasonIsShown() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      WriteOptions verify = WriteOptions.builder().verifier((k, v) -> {
        throw VerificationFailedException.reason("db:5432 refused the login");
      }).build();
      assertThatThrownBy(() -> r.admin().write("KEY", SecretValue.of(CANARY), verify))
          .hasMessageContaining("db:5432 refused the login");
    }
  }

  @Test
  void rotateWritesAGeneratedValue() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      SecretWrite w = r.admin().rotate("KEY", SecretGenerators.hex(32), WriteOptions.defaults());
      assertThat(r.resolve("KEY")).hasSize(64).matches("[0-9a-f]+");
      assertThat(w.fingerprint()).isEqualTo(r.secret("KEY").value().fingerprint());
    }
  }

  @Test
  void thePolicySelectsExactlyTheKeysOlderThanTheirMaximumAge() throws Exception {
    vault.put("OLD", "o1");                       // 40 days old by the check
    f.clock.advance(Duration.ofDays(20));
    vault.put("YOUNG", "y1");                     // 20 days old
    vault.put("ROTATED", "r1");
    f.clock.advance(Duration.ofDays(15));
    vault.put("ROTATED", "r2");                   // current version 5 days old
    f.clock.advance(Duration.ofDays(5));
    RotationPolicy policy = RotationPolicy.parse("test", new java.io.StringReader("""
        OLD.generator=hex:32
        OLD.max-age=30d
        YOUNG.generator=password:20
        YOUNG.max-age=30d
        ROTATED.generator=base64:32
        ROTATED.max-age=10d
        ABSENT.generator=hex:16
        ABSENT.max-age=1d
        """));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(policy.due(r, f.clock.instant())).extracting(RotationPolicy.Rule::key).containsExactly("OLD");
      RotationPolicy.Check young = policy.check(r, f.clock.instant()).get(1);
      assertThat(young.age()).contains(Duration.ofDays(20));
    }
  }

  @Test
  void aNewVersionHoldingTheSameValueDoesNotRestartTheKeysAge() throws Exception {
    // as a write to another field of a shared Vault path or AWS JSON secret makes a new version of every field
    vault.put("SHARED", "s1");                    // its value is 40 days old by the check
    vault.put("BACK", "b1");
    f.clock.advance(Duration.ofDays(20));
    vault.put("BACK", "b2");
    f.clock.advance(Duration.ofDays(15));
    vault.put("SHARED", "s1");                    // new version 5 days old, same value
    vault.put("BACK", "b1");                      // back to an older value: 5 days old, not 40
    f.clock.advance(Duration.ofDays(5));
    RotationPolicy policy = RotationPolicy.parse("test", new java.io.StringReader("""
        SHARED.generator=hex:32
        SHARED.max-age=30d
        BACK.generator=hex:32
        BACK.max-age=30d
        """));
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<RotationPolicy.Check> checks = policy.check(r, f.clock.instant());
      assertThat(checks.get(0).age()).contains(Duration.ofDays(40));
      assertThat(checks.get(1).age()).contains(Duration.ofDays(5));
      assertThat(policy.due(r, f.clock.instant())).extracting(RotationPolicy.Rule::key).containsExactly("SHARED");
    }
  }

  @Test
  void everyWriteIsAuditedWithKeyBackendVersionsAndOutcomeButNoValue() {
    java.util.logging.Logger audit = java.util.logging.Logger.getLogger("org.nexusreussite.secrets.audit");
    List<String> records = new ArrayList<>();
    java.util.logging.Handler handler = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        records.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    audit.addHandler(handler);
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      r.admin().write("KEY", SecretValue.of(CANARY), WriteOptions.defaults());
      assertThatThrownBy(() -> r.admin().write("KEY", SecretValue.of(CANARY),
          WriteOptions.builder().expectedVersion("1").build())).isInstanceOf(WriteConflictException.class);
      assertThatThrownBy(() -> r.admin().write("KEY", SecretValue.of(CANARY + "-refused"),
          WriteOptions.builder().verifier((k, v) -> {
            throw new IllegalStateException("refused");
          }).build())).isInstanceOf(org.nexusreussite.secrets.VerificationFailedException.class);
    } finally {
      audit.removeHandler(handler);
    }
    assertThat(records).contains("write key=KEY backend=vault from=1 to=2 outcome=written",
        "write key=KEY backend=vault from=2 to=2 outcome=conflict",
        "write key=KEY backend=vault from=3 to=4 outcome=restored-after-refused-verification");
    assertThat(records).noneMatch(rec -> rec.contains(CANARY));
  }

  @Test
  void ofConcurrentWritersExpectingTheSameVersionExactlyOneWins() throws Exception {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      int writers = 8;
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String value = "w" + i;
        results.add(pool.submit(() -> {
          start.await();
          try {
            r.admin().write("KEY", SecretValue.of(value), WriteOptions.builder().expectedVersion("1").build());
            return true;
          } catch (WriteConflictException e) {
            return false;
          }
        }));
      }
      start.countDown();
      int won = 0;
      for (java.util.concurrent.Future<Boolean> result : results) {
        won += result.get(10, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
      }
      pool.shutdown();
      assertThat(won).isEqualTo(1);
      assertThat(r.admin().versions("KEY")).hasSize(2);
      assertThat(r.resolve("KEY")).isEqualTo(vault.fetch("KEY", org.nexusreussite.secrets.VersionSelector.latest())
          .orElseThrow().reveal());
    }
  }
}
