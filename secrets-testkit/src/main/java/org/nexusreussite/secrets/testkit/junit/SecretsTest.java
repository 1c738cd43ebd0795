package org.nexusreussite.secrets.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Gives each test of the class its own in-memory {@code SecretResolver}, in the style of
 * {@code @WireMockTest}: a fresh {@code InMemorySecretBackend} seeded from {@link TestSecret}, a
 * {@code ManualClock} and {@code ManualScheduler}, and the resolver over them, installed as the
 * {@code Secrets} default for the test's duration (the previous default is restored after, and the
 * resolver closed).
 *
 * <p>Test and lifecycle ({@code @BeforeEach}, {@code @AfterEach}) methods may declare parameters of type
 * {@link SecretsFixture} (rotation and outage helpers), {@code SecretResolver},
 * {@code InMemorySecretBackend}, {@code ManualClock} or {@code ManualScheduler}; they get the test's own.
 *
 * <pre>{@code
 * @SecretsTest
 * @TestSecret(key = "API_KEY", value = "k1")
 * class ClientTest {
 *   @Test
 *   void rekeysOnRotation(SecretsFixture secrets) {
 *     Client client = new Client(Secrets.resolver());
 *     secrets.rotate("API_KEY", "k2");
 *     assertThat(client.key()).isEqualTo("k2");
 *   }
 * }
 * }</pre>
 *
 * <p><b>Per test, per class.</b> Everything is per test: each test method gets a new store, clock,
 * scheduler and resolver, kept in the test's {@code ExtensionContext.Store}, so tests never see each
 * other's secrets or time. Annotations on the class are only the seed every test starts from. Nothing
 * is injected into {@code @BeforeAll} methods or constructors (there is no per-class resolver).
 *
 * <p><b>Parallel execution.</b> The store, clock and resolver are per test, so tests run in parallel
 * freely. The {@code Secrets} default is one value for the whole JVM, though, so tests that install it
 * ({@link #installDefault()}, the default) each hold the JUnit resource lock {@link #SECRETS_DEFAULT}
 * (read-write) while they run: they run one at a time with respect to each other, in parallel with
 * everything else. Tests that only use injected parameters set {@code installDefault = false} and take
 * no lock. A test that reads the {@code Secrets} facade without this annotation and must not see another
 * test's resolver declares {@code @ResourceLock(SecretsTest.SECRETS_DEFAULT)} itself.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(SecretsExtension.class)
@ResourceLock(providers = SecretsExtension.DefaultResolverLock.class)
public @interface SecretsTest {

  /** The JUnit resource lock key held by tests that install the {@code Secrets} default. */
  String SECRETS_DEFAULT = "org.nexusreussite.secrets.Secrets.default";

  /**
   * Whether the test's resolver is installed as the {@code Secrets} default (and the lock
   * {@link #SECRETS_DEFAULT} taken). Default true.
   */
  boolean installDefault() default true;

  /**
   * Whether the in-memory store has the WATCH capability (default true): the resolver then learns of a
   * {@code put} as soon as the scheduler next runs, as with a store that pushes changes. False makes it a
   * polling store whose changes appear only when a refresh falls due, to test refresh intervals.
   */
  boolean watch() default true;

  /** The id of the in-memory backend, as shown in errors and health. Default {@code memory}. */
  String backendId() default "memory";

  /**
   * The profile; {@code production}, {@code prod} and {@code staging} are strict, so {@link #required()}
   * keys must be seeded. Default {@code test}.
   */
  String profile() default "test";

  /** Keys that must resolve (checked when the resolver is built in a strict profile). */
  String[] required() default {};

  /** The refresh interval, e.g. {@code 5m} or {@code PT30S}; {@link SecretsFixture#rotate} advances by it. */
  String refresh() default "5m";

  /** How long a value is served while the store fails, e.g. {@code 1h}. */
  String maxStale() default "1h";
}
