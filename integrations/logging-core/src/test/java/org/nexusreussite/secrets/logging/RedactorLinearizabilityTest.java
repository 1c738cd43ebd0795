package org.nexusreussite.secrets.logging;

import java.time.Duration;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Lincheck races {@code served} (two keys, three values each) with {@code redact} and checks that every
 * redacted line is explainable by some order of the same calls run one at a time: a value served before a
 * line started is never missing from it, whichever rebuild is being published meanwhile. No grace window,
 * so a key's previous value stops being redacted at once and the outcome is deterministic.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:2")
@Param(name = "version", gen = IntGen.class, conf = "1:3")
public class RedactorLinearizabilityTest {
  private final SecretRedactor redactor =
      SecretRedactor.manual(RedactionOptions.builder().grace(Duration.ZERO).build());

  private static String value(int key, int version) {
    return "value-" + key + "-" + version + "-padding";
  }

  @Operation
  public void serve(@Param(name = "key") int key, @Param(name = "version") int version) {
    redactor.served(TestSecrets.of("K" + key, value(key, version)));
  }

  @Operation
  public String redact(@Param(name = "key") int key, @Param(name = "version") int version) {
    return redactor.redact("line " + value(key, version) + " end");
  }

  @Test
  void servedAndRedactAreLinearizable() {
    LinChecker.check(RedactorLinearizabilityTest.class, new StressOptions()
        .iterations(30).invocationsPerIteration(300).threads(3).actorsPerThread(2)
        .actorsBefore(1).actorsAfter(1));
  }
}
