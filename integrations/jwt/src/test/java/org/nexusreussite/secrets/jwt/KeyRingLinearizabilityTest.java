package org.nexusreussite.secrets.jwt;

import java.util.List;
import java.util.stream.Collectors;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;

/**
 * Lincheck drives {@code current()}, {@code verificationKeys()} and rotations (a new store version and the
 * resolver's refresh of the key, which fires the ring's listener) from several threads, and checks that
 * every result is explainable by some order of the same operations run one at a time: the signing key never
 * goes back to an older version because a reader read the resolver before a rotation and wrote after it.
 * Rotations are serialised among themselves (one writer of the store, as in a real rotation); reads race
 * with them freely. Stress mode, as the resolver's own linearizability test (model checking is too slow on
 * Caffeine under JDK 17 here). Its runs did not reach the one interleaving that broke this (a reader stalled
 * between reading the resolver and swapping the state): {@link StaleReadTest} forces that one, and fails
 * without the re-read in {@code KeyRing.sync()}. Sized small (5 x 30 invocations) and run in a JVM of its own (see
 * the module's pom): Lincheck instruments every loaded class, and after the other tests it took 200-380 s.
 */
public class KeyRingLinearizabilityTest {
  private final RingFixture f = new RingFixture();
  private final SecretResolver resolver;
  private final KeyRing ring;
  private int generation;

  static {
    // thousands of rotations: their INFO lines would only slow the run
    java.util.logging.Logger.getLogger("org.nexusreussite.secrets").setLevel(java.util.logging.Level.WARNING);
  }

  public KeyRingLinearizabilityTest() {
    f.store.put(RingFixture.KEY, RingFixture.hmacKey("v0"));
    resolver = f.resolver();
    ring = f.ring(resolver).maxKeys(16).build();
  }

  @Operation
  public String current() {
    return ring.current().versionId();
  }

  @Operation
  public List<String> verificationKeys() {
    return ring.verificationKeys().stream().map(RingKey::versionId).collect(Collectors.toList());
  }

  @Operation
  public void rotate() {
    synchronized (this) {
      f.store.put(RingFixture.KEY, RingFixture.hmacKey("v" + ++generation));
      resolver.admin().refresh(RingFixture.KEY);
    }
  }

  @Test
  void currentAndVerificationKeysAreLinearizableUnderRotation() {
    LinChecker.check(KeyRingLinearizabilityTest.class, new StressOptions()
        .iterations(5).invocationsPerIteration(30).threads(3).actorsPerThread(3)
        .actorsBefore(1).actorsAfter(1));
  }
}
