package org.nexusreussite.secrets.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * Runs sample test classes (the static nested classes below, which surefire does not pick up on their
 * own) through JUnit's EngineTestKit, sequentially and in parallel.
 */
class SecretsExtensionTest {
  private static final String CANARY = "canary-5d1e0b77-value";

  private SecretResolver outside;
  private SecretResolver before;

  @BeforeEach
  void installAnOutsideDefault() {
    InMemorySecretBackend store = new InMemorySecretBackend("outside");
    store.put("WHO", "outside");
    outside = SecretResolver.builder().config(SecretsConfig.empty()).backend(store, 1).build();
    before = Secrets.setDefault(outside);
  }

  @AfterEach
  void restore() {
    Secrets.setDefault(before);
    outside.close();
  }

  private static EngineExecutionResults run(DiscoverySelector... selectors) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(EngineTestKitSample.PARAMETER, "true").selectors(selectors).execute();
  }

  private static EngineExecutionResults runInParallel(DiscoverySelector... selectors) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(EngineTestKitSample.PARAMETER, "true")
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "6")
        .selectors(selectors).execute();
  }

  @Test
  void seedsFromClassAndMethodAreServedThroughTheSecretsFacadeAndThePreviousDefaultComesBack() {
    EngineExecutionResults results = run(selectClass(Seeding.class));

    assertAllSucceeded(results, 3);
    assertThat(Secrets.resolver()).isSameAs(outside);
  }

  @Test
  void nestedClassesAddTheirSeedsToTheOuterOnes() {
    assertAllSucceeded(run(selectClass(Outer.class)), 2);
  }

  @Test
  void rotationAndOutageHelpersMoveTheManualClock() {
    assertAllSucceeded(run(selectClass(RotationAndOutage.class)), 4);
    assertThat(RotationAndOutage.failures).isNotEmpty();
    assertAllSucceeded(run(selectClass(PollingStore.class)), 2);
    assertThat(RotationAndOutage.failures).allSatisfy(text -> assertThat(text).doesNotContain(CANARY));
  }

  @Test
  void aStrictProfileFailsTheTestWithTheMissingSecretsReport() {
    EngineExecutionResults results = run(selectClass(StrictProfile.class));

    results.testEvents().assertThatEvents().haveExactly(1, event(test("needsJwt"),
        finishedWithFailure(instanceOf(MissingSecretsException.class), message(m -> m.contains("JWT_SECRET_KEY")))));
    assertThat(Secrets.resolver()).isSameAs(outside);
  }

  @Test
  void beforeAllParametersAreRefusedWithAnExplanation() {
    EngineExecutionResults results = run(selectClass(BeforeAllInjection.class));

    results.containerEvents().assertThatEvents().haveExactly(1, event(
        finishedWithFailure(message(m -> m.contains("@BeforeEach")))));
  }

  @Test
  void parallelTestsNeverSeeEachOthersDefaultAndTestsWithoutTheDefaultRunConcurrently() {
    ParallelDefaults.holders.set(0);
    ParallelDefaults.maxHolders.set(0);
    ParallelIsolated.bothRunning = new CountDownLatch(2);

    EngineExecutionResults results = runInParallel(selectClass(ParallelDefaults.class),
        selectClass(ParallelIsolated.class));

    assertAllSucceeded(results, 8);
    assertThat(ParallelDefaults.maxHolders.get()).isEqualTo(1);
    assertThat(Secrets.resolver()).isSameAs(outside);
  }

  @Test
  void theLockIsTakenPerMethodOnlyWhenTheDefaultIsInstalled() throws Exception {
    SecretsExtension.DefaultResolverLock locks = new SecretsExtension.DefaultResolverLock();

    assertThat(locks.provideForMethod(List.of(), ParallelDefaults.class,
        ParallelDefaults.class.getDeclaredMethod("one"))).extracting(l -> l.getKey())
        .containsExactly(SecretsTest.SECRETS_DEFAULT);
    assertThat(locks.provideForMethod(List.of(), ParallelIsolated.class,
        ParallelIsolated.class.getDeclaredMethod("first", SecretResolver.class))).isEmpty();
    assertThat(locks.provideForClass(ParallelDefaults.class)).isEmpty();
  }

  // ---- samples, run only through EngineTestKit ------------------------------------------------

  @EngineTestKitSample
  @SecretsTest
  @TestSecret(key = "A", value = "class-a")
  @TestSecret(key = "B", value = "class-b")
  static class Seeding {
    @Test
    @TestSecret(key = "B", value = "method-b")
    void methodSeedsWin() {
      assertThat(Secrets.resolve("A")).isEqualTo("class-a");
      assertThat(Secrets.resolve("B")).isEqualTo("method-b");
    }

    @Test
    void otherTestsStartFromTheClassSeeds() {
      assertThat(Secrets.resolve("B")).isEqualTo("class-b");
      assertThat(Secrets.find("WHO")).isEmpty();
    }

    @Test
    void theTestsOwnObjectsAreInjected(SecretResolver resolver, InMemorySecretBackend backend, ManualClock clock,
        ManualScheduler scheduler, SecretsFixture fixture) {
      assertThat(resolver).isSameAs(Secrets.resolver()).isSameAs(fixture.resolver());
      assertThat(backend).isSameAs(fixture.backend());
      assertThat(backend.id()).isEqualTo("memory");
      assertThat(clock).isSameAs(fixture.clock()).isSameAs(scheduler.clock());
      backend.put("C", "added");
      assertThat(Secrets.resolve("C")).isEqualTo("added");
    }
  }

  @EngineTestKitSample
  @SecretsTest
  @TestSecret(key = "A", value = "outer-a")
  @TestSecret(key = "B", value = "outer-b")
  static class Outer {
    @Test
    void outerSeeds() {
      assertThat(Secrets.resolve("B")).isEqualTo("outer-b");
    }

    @Nested
    @TestSecret(key = "B", value = "inner-b")
    class Inner {
      @Test
      void innerSeedsWin() {
        assertThat(Secrets.resolve("A")).isEqualTo("outer-a");
        assertThat(Secrets.resolve("B")).isEqualTo("inner-b");
      }
    }
  }

  @EngineTestKitSample
  @SecretsTest(refresh = "1m", maxStale = "10m", backendId = "vault")
  @TestSecret(key = "API_KEY", value = CANARY)
  static class RotationAndOutage {
    static final List<String> failures = new CopyOnWriteArrayList<>();

    @Test
    void rotateServesTheNewValueAndFiresListeners(SecretsFixture secrets) {
      List<String> seen = new CopyOnWriteArrayList<>();
      secrets.resolver().onRotation("API_KEY", r -> seen.add(r.key()));
      assertThat(Secrets.resolve("API_KEY")).isEqualTo(CANARY);

      secrets.rotate("API_KEY", "k2");

      assertThat(Secrets.resolve("API_KEY")).isEqualTo("k2");
      assertThat(seen).containsExactly("API_KEY");
    }

    @Test
    void duringAnOutageTheCachedValueIsServedAndRecoveryBringsTheRotation(SecretsFixture secrets) {
      assertThat(Secrets.resolve("API_KEY")).isEqualTo(CANARY);
      secrets.backend().put("API_KEY", "k2");

      secrets.outage(Duration.ofMinutes(5));
      assertThat(Secrets.resolve("API_KEY")).isEqualTo(CANARY);

      secrets.recover();
      assertThat(Secrets.resolve("API_KEY")).isEqualTo("k2");
    }

    @Test
    void anOutagePastMaxStaleFailsReadsWithoutTheValue(SecretsFixture secrets) {
      assertThat(Secrets.resolve("API_KEY")).isEqualTo(CANARY);

      secrets.outage(Duration.ofMinutes(11));

      assertThatThrownBy(() -> Secrets.resolve("API_KEY"))
          .isInstanceOf(BackendException.class)
          .satisfies(e -> failures.add(stackTrace(e)))
          .satisfies(e -> assertThat(((BackendException) e).backendId()).isEqualTo("vault"));
      failures.add(secrets.toString());
      failures.add(secrets.backend().toString());
    }

    @Test
    void aWatchedStoreIsSeenWhenTheSchedulerNextRunsNotBefore(SecretsFixture secrets) {
      Secrets.resolve("API_KEY");
      secrets.backend().put("API_KEY", "k2");
      assertThat(Secrets.resolve("API_KEY")).isEqualTo(CANARY);

      secrets.advance(Duration.ZERO);

      assertThat(Secrets.resolve("API_KEY")).isEqualTo("k2");
    }
  }

  @EngineTestKitSample
  @SecretsTest(refresh = "1m", watch = false)
  @TestSecret(key = "API_KEY", value = "k1")
  static class PollingStore {
    @Test
    void aPolledStoreIsSeenWhenTheRefreshFallsDue(SecretsFixture secrets) {
      Secrets.resolve("API_KEY");
      secrets.backend().put("API_KEY", "k2");

      secrets.advance(Duration.ofSeconds(10));
      assertThat(Secrets.resolve("API_KEY")).isEqualTo("k1");
      secrets.advance(Duration.ofMinutes(1));
      assertThat(Secrets.resolve("API_KEY")).isEqualTo("k2");
    }

    @Test
    void rotateWorksOnAPolledStore(SecretsFixture secrets) {
      assertThat(secrets.rotate("API_KEY", "k2")).isEqualTo("2");
      assertThat(Secrets.resolve("API_KEY")).isEqualTo("k2");
    }
  }

  @EngineTestKitSample
  @SecretsTest(profile = "prod", required = {"DATABASE_URL", "JWT_SECRET_KEY"})
  @TestSecret(key = "DATABASE_URL", value = "postgres://test")
  static class StrictProfile {
    @Test
    void needsJwt() {
      Secrets.resolve("DATABASE_URL");
    }
  }

  @EngineTestKitSample
  @SecretsTest
  static class BeforeAllInjection {
    @BeforeAll
    static void cannotHaveOne(SecretResolver resolver) {
    }

    @Test
    void never() {
    }
  }

  @EngineTestKitSample
  @SecretsTest
  @Execution(ExecutionMode.CONCURRENT)
  static class ParallelDefaults {
    static final AtomicInteger holders = new AtomicInteger();
    static final AtomicInteger maxHolders = new AtomicInteger();

    private static void check(String expected) throws InterruptedException {
      int now = holders.incrementAndGet();
      maxHolders.accumulateAndGet(now, Math::max);
      try {
        // widen the window in which another test could replace the default
        for (int i = 0; i < 5; i++) {
          assertThat(Secrets.resolve("WHO")).isEqualTo(expected);
          Thread.sleep(10);
        }
      } finally {
        holders.decrementAndGet();
      }
    }

    @Test
    @TestSecret(key = "WHO", value = "one")
    void one() throws InterruptedException {
      check("one");
    }

    @Test
    @TestSecret(key = "WHO", value = "two")
    void two() throws InterruptedException {
      check("two");
    }

    @Test
    @TestSecret(key = "WHO", value = "three")
    void three() throws InterruptedException {
      check("three");
    }

    @Test
    @TestSecret(key = "WHO", value = "four")
    void four() throws InterruptedException {
      check("four");
    }

    @Test
    @TestSecret(key = "WHO", value = "five")
    void five() throws InterruptedException {
      check("five");
    }

    @Test
    @TestSecret(key = "WHO", value = "six")
    void six() throws InterruptedException {
      check("six");
    }
  }

  @EngineTestKitSample
  @SecretsTest(installDefault = false)
  @Execution(ExecutionMode.CONCURRENT)
  static class ParallelIsolated {
    static volatile CountDownLatch bothRunning = new CountDownLatch(2);

    @Test
    @TestSecret(key = "WHO", value = "first")
    void first(SecretResolver resolver) throws InterruptedException {
      bothRunning.countDown();
      assertThat(bothRunning.await(20, TimeUnit.SECONDS)).as("the other test ran at the same time").isTrue();
      assertThat(resolver.resolve("WHO")).isEqualTo("first");
      assertThat(Secrets.resolver()).isNotSameAs(resolver);
    }

    @Test
    @TestSecret(key = "WHO", value = "second")
    void second(SecretResolver resolver) throws InterruptedException {
      bothRunning.countDown();
      assertThat(bothRunning.await(20, TimeUnit.SECONDS)).as("the other test ran at the same time").isTrue();
      assertThat(resolver.resolve("WHO")).isEqualTo("second");
    }
  }

  /** Asserts that {@code count} tests ran and passed, showing the failures' stack traces when not. */
  private static void assertAllSucceeded(EngineExecutionResults results, int count) {
    List<String> failures = results.testEvents().failed().stream()
        .map(e -> e.getTestDescriptor().getDisplayName() + ": " + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).map(SecretsExtensionTest::stackTrace)
            .orElse("?"))
        .toList();
    assertThat(failures).as("failed tests").isEmpty();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(count);
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
