package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 10: an {@link Error} under a command (out of memory, stack overflow, a class missing from
 * the class path) ends in one line naming it and what to do, with its own exit code, never in a stack trace
 * and exit 1, which means "required secrets missing".
 */
class JvmErrorTest {
  private static Cli.Result get(String errorKind, String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "get";
    args[1] = "API_KEY";
    System.arraycopy(options, 0, args, 2, options.length);
    return Cli.isolated().set("SECRETS_TEST_ERROR", errorKind).run(args);
  }

  @ParameterizedTest
  @CsvSource({
      "OutOfMemoryError, -Xmx",
      "StackOverflowError, report a bug",
      "NoClassDefFoundError, class path is broken",
      "AssertionError, report a bug"})
  void anErrorEndsInOneLineWithItsOwnExitCode(String kind, String hint) {
    Cli.Result r = get(kind);

    assertThat(r.code()).isEqualTo(ExitCodes.JVM_ERROR).isNotEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("secrets: " + kind + ": ").contains(hint).hasLineCount(1);
  }

  @ParameterizedTest
  @CsvSource({"OutOfMemoryError", "StackOverflowError", "AssertionError", "NoClassDefFoundErrorWithText"})
  void theErrorsMessageNeverReachesTheOutput(String kind) {
    Cli.Result r = get(kind);

    assertThat(r.all()).doesNotContain(ErrorThrowingProvider.CANARY);
  }

  @Test
  void aMissingClassIsNamed() {
    Cli.Result r = get("NoClassDefFoundError");

    assertThat(r.err()).contains("com/fasterxml/jackson/annotation/JsonSerializeAs: a class is missing");
  }

  @Test
  void debugAddsTheStackTrace() {
    Cli.Result r = get("StackOverflowError", "--debug");

    assertThat(r.code()).isEqualTo(ExitCodes.JVM_ERROR);
    assertThat(r.err()).contains("at org.nexusreussite.secrets.cli.ErrorThrowingProvider");
  }
}
