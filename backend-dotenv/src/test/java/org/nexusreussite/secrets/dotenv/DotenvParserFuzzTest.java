package org.nexusreussite.secrets.dotenv;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.InvalidSecretSourceException;

/**
 * Coverage-guided fuzzing of the {@code .env} parser (issue 12, standing defences). The normal test run
 * replays the seed corpus in {@code src/test/resources/.../DotenvParserFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * (see {@code scripts/fuzz.sh}) mutates it. Every {@code @} of the input becomes a canary, so values,
 * keys and defaults carry it wherever the fuzzer puts them.
 *
 * <p>Invariants: the parser returns or throws {@link InvalidSecretSourceException} naming {@code .env}
 * and a line (no other exception or error, so no {@link StackOverflowError} or
 * {@link OutOfMemoryError}), in strict and lenient mode; no message contains the canary; every value is
 * within the documented bounds; one input takes well under a second.
 */
class DotenvParserFuzzTest {
  private static final String CANARY = "cAnArY-f0e1";
  private static final long MAX_MILLIS = 2_000;

  @FuzzTest(maxDuration = "10m")
  void parsesOrReportsALineWithoutQuotingIt(FuzzedDataProvider data) {
    boolean lenient = data.consumeBoolean();
    boolean withEnvironment = data.consumeBoolean();
    String text = data.consumeRemainingAsString().replace("@", CANARY);
    Map<String, String> environment = withEnvironment ? Map.of("HOME", "/home/" + CANARY, "EMPTY", "") : Map.of();
    List<InvalidSecretSourceException> skipped = new ArrayList<>();
    DotenvParser parser = new DotenvParser("dotenv", environment, lenient, skipped::add);

    long start = System.nanoTime();
    Map<String, String> values;
    try {
      values = parser.parse(".env", text);
    } catch (InvalidSecretSourceException e) {
      assertThat(lenient).as("lenient mode never throws").isFalse();
      checkReport(e);
      return;
    } finally {
      assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds for %s chars", text.length())
          .isLessThan(MAX_MILLIS);
    }
    skipped.forEach(DotenvParserFuzzTest::checkReport);
    long total = 0;
    for (String value : values.values()) {
      // a value is either text of the file (at most its length) or built from references (at most 64 KiB)
      assertThat(value.length()).isLessThanOrEqualTo(Math.max(text.length(), DotenvParser.MAX_EXPANDED_VALUE));
      total += value.length();
    }
    assertThat(total).isLessThanOrEqualTo((long) text.length() + DotenvParser.MAX_EXPANDED_TOTAL
        + (long) values.size() * CANARY.length() * 2);
  }

  private static void checkReport(InvalidSecretSourceException e) {
    assertThat(e.getMessage()).startsWith(".env:").doesNotContain(CANARY);
    assertThat(e.source()).isEqualTo(".env");
    assertThat(e.line()).isPositive();
    assertThat(e.getCause()).isNull();
  }
}
