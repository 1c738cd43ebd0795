package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the JSON field parser that turns a secret string into keys (issue 12,
 * standing defences). The normal test run replays the seed corpus in
 * {@code src/test/resources/.../JsonFieldsFuzzTestInputs/}; {@code JAZZER_FUZZ=1} (see
 * {@code scripts/fuzz.sh}) mutates it.
 *
 * <p>Invariants: the parser returns fields or throws {@link JsonFields.JsonProblem} (no other exception
 * or error: no {@link StackOverflowError} for deep nesting), whose message never quotes the input
 * (every {@code #} of the input becomes a canary that cannot be a key, as a value would be); every
 * field is a substring-sized piece of the input; one input takes well under a second.
 */
class JsonFieldsFuzzTest {
  private static final String CANARY = "c4n#ry-j50n";
  private static final long MAX_MILLIS = 1_000;

  @FuzzTest(maxDuration = "10m")
  void parsesAnObjectOrReportsWhereWithoutQuotingIt(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString().replace("#", CANARY);
    long start = System.nanoTime();
    try {
      Map<String, String> fields = JsonFields.parse(text);
      for (Map.Entry<String, String> field : fields.entrySet()) {
        assertThat(field.getValue()).isNotNull();
        assertThat(field.getValue().length()).isLessThanOrEqualTo(text.length());
      }
    } catch (JsonFields.JsonProblem e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain(CANARY);
      assertThat(e.getCause()).isNull();
    } finally {
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MAX_MILLIS);
    }
  }
}
