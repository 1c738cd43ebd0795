package org.nexusreussite.secrets.dotenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.InvalidSecretSourceException;

/**
 * The parser's bounds (issue 12, finding 4): deep nesting and exponential expansion end in an
 * {@link InvalidSecretSourceException} naming file and line, in strict and lenient mode, instead of a
 * {@link StackOverflowError} or an {@link OutOfMemoryError}.
 */
class DotenvParserBoundsTest {

  private static final String CANARY = "canary-0b5e-bounds-never-shown";

  private final List<InvalidSecretSourceException> skipped = new ArrayList<>();
  private final DotenvParser lenient = new DotenvParser("dotenv", Map.of(), true, skipped::add);

  private static String nested(int depth, String innermost) {
    return "${A:-".repeat(depth) + innermost + "}".repeat(depth);
  }

  /** {@code A=x}, {@code B=$A$A}, {@code C=$B$B}, ...: line n holds 2^(n-1) characters. */
  private static String doubling(int lines) {
    StringBuilder sb = new StringBuilder("K0=x\n");
    for (int i = 1; i < lines; i++) {
      sb.append('K').append(i).append("=$K").append(i - 1).append("$K").append(i - 1).append('\n');
    }
    return sb.toString();
  }

  private static InvalidSecretSourceException strictError(String content) {
    try {
      DotenvParser.strict(Map.of()).parse(".env", content);
    } catch (InvalidSecretSourceException e) {
      assertThat(e.getMessage()).doesNotContain(CANARY);
      return e;
    }
    throw new AssertionError("expected an InvalidSecretSourceException");
  }

  @Test
  void nestingThreeThousandDeepIsAnErrorWithItsLineNotAStackOverflow() {
    InvalidSecretSourceException e = strictError("OK=1\nDEEP=" + nested(3000, CANARY) + "\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).startsWith(".env:2: references nested more than 32 levels deep");
  }

  @Test
  void nestingTwentyThousandDeepIsSkippedInLenientMode() {
    Map<String, String> v = lenient.parse(".env", "OK=1\nDEEP=\"" + nested(20_000, CANARY) + "\"\nAFTER=2\n");
    assertThat(v).containsOnlyKeys("OK", "AFTER");
    assertThat(skipped).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.getMessage()).doesNotContain(CANARY);
    });
  }

  @Test
  void thirtyTwoLevelsAreAllowedAndThirtyThreeAreNot() {
    assertThat(DotenvParser.strict(Map.of()).parse(".env", "V=" + nested(32, "deep"))).containsEntry("V", "deep");
    assertThat(strictError("V=" + nested(33, "deep")).line()).isEqualTo(1);
  }

  @Test
  void aSetVariableDoesNotMakeDeepNestingAcceptable() {
    // the limit is a property of the text, not of the environment it happens to be expanded in
    DotenvParser withA = DotenvParser.strict(Map.of("A", "set"));
    assertThatThrownBy(() -> withA.parse(".env", "V=" + nested(40, "x")))
        .isInstanceOf(InvalidSecretSourceException.class).hasMessageContaining("nested more than 32");
  }

  @Test
  void aDoublingFileStopsAtTheLineThatPassesSixtyFourKibibytes() {
    InvalidSecretSourceException e = strictError(doubling(32));
    // line n expands to 2^(n-1) characters: line 17 is exactly 64 KiB, line 18 is over
    assertThat(e.line()).isEqualTo(18);
    assertThat(e.getMessage()).contains("expands to more than 65536 characters");
  }

  @Test
  void aDoublingFileIsSkippedLineByLineInLenientMode() {
    Map<String, String> v = lenient.parse(".env", doubling(32));
    assertThat(v.get("K16")).hasSize(65_536);
    assertThat(skipped).extracting(InvalidSecretSourceException::line).contains(18);
    assertThat(v.values()).allSatisfy(value -> assertThat(value.length()).isLessThanOrEqualTo(65_536));
  }

  @Test
  void referencesMayAddAtMostOneMebibyteToAFile() {
    StringBuilder sb = new StringBuilder("BIG=").append("b".repeat(65_536)).append('\n');
    for (int i = 0; i < 17; i++) {
      sb.append("COPY").append(i).append("=${BIG}\n");
    }
    // 16 copies are exactly 1 MiB; the 17th, on line 18, is over
    InvalidSecretSourceException e = strictError(sb.toString());
    assertThat(e.line()).isEqualTo(18);
    assertThat(e.getMessage()).contains("more than 1048576 characters in total");
  }

  @Test
  void theTotalIsCountedPerFile() {
    DotenvParser parser = DotenvParser.strict(Map.of());
    Map<String, String> values = new java.util.LinkedHashMap<>();
    parser.parse(".env", "BIG=" + "b".repeat(65_536) + "\n" + "C=$BIG\n".repeat(10), values);
    parser.parse(".env.local", "D=$BIG\n".repeat(10), values);
    assertThat(values.get("D")).hasSize(65_536);
  }

  @Test
  void aLongLiteralValueIsNotLimitedByTheExpansionBounds() {
    String pem = "x".repeat(200_000);
    assertThat(DotenvParser.strict(Map.of()).parse(".env", "CERT=\"" + pem + "\"")).containsEntry("CERT", pem);
  }
}
