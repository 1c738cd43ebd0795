package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CommandLineTest {

  @ParameterizedTest
  @EnumSource(Command.class)
  void everySubcommandHasHelp(Command command) {
    Cli.Result r = Cli.isolated().run(command.label(), "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: secrets " + command.label()).contains("Exit codes:");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void helpWithoutCommandListsEveryCommand() {
    Cli.Result r = Cli.isolated().run("--help");

    assertThat(r.code()).isZero();
    for (Command c : Command.values()) {
      assertThat(r.out()).contains("  " + c.label());
    }
  }

  @Test
  void helpCommandShowsTheHelpOfItsArgument() {
    assertThat(Cli.isolated().run("help", "exec").out()).contains("Usage: secrets exec");
  }

  @Test
  void helpAfterMissingArgumentsStillShowsHelp() {
    Cli.Result r = Cli.isolated().run("get", "-h");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--version ID");
  }

  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = Cli.isolated().run();

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no command given");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void unknownCommandIsAUsageErrorNamingIt() {
    Cli.Result r = Cli.isolated().run("fetch", "KEY");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("unknown command 'fetch'").hasLineCount(1);
  }

  @Test
  void unknownCommandThatLooksLikeAValueIsNotEchoed() {
    Cli.Result r = Cli.isolated().run("s3cr3t/P@ss!");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).doesNotContain("s3cr3t").contains("12 characters");
  }

  @Test
  void unknownOptionIsNamedWithoutItsValue() {
    Cli.Result r = Cli.isolated().run("get", "KEY", "--token=hunter2");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("unknown option --token for get").doesNotContain("hunter2");
  }

  @Test
  void invalidKeyIsAUsageErrorThatDoesNotEchoTheKey() {
    Cli.Result r = Cli.isolated().run("get", "postgres://user:pw@db/x");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Invalid secret key").doesNotContain("pw@db");
  }

  @Test
  void getNeedsExactlyOneKey() {
    assertThat(Cli.isolated().run("get").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.isolated().run("get", "A", "B").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void versionAndStageTogetherAreRejected() {
    Cli.Result r = Cli.isolated().run("get", "A", "--version", "1", "--stage", "previous");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--version or --stage, not both");
  }

  @Test
  void optionValueMayFollowAnEqualsSign() {
    Cli.Result r = Cli.isolated().set("A", "x").run("--format=json", "get", "A");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"value\": \"x\"");
  }

  @Test
  void optionMissingItsValueIsAUsageError() {
    Cli.Result r = Cli.isolated().run("get", "A", "--profile");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--profile needs a value");
  }

  @Test
  void envFormatIsOnlyForGet() {
    Cli.Result r = Cli.isolated().run("list", "--format", "env");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--format env applies to get only");
  }

  @Test
  void unknownFormatIsAUsageError() {
    assertThat(Cli.isolated().run("list", "--format", "yaml").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void execNeedsACommandAfterTheDoubleDash() {
    assertThat(Cli.isolated().run("exec").err()).contains("needs a command after --");
    assertThat(Cli.isolated().run("exec", "--").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.isolated().run("exec", "env").err()).contains("put the command after --");
  }

  @Test
  void doubleDashOutsideExecIsAUsageError() {
    assertThat(Cli.isolated().run("list", "--", "x").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void commandOptionsAreNotAcceptedByOtherCommands() {
    Cli.Result r = Cli.isolated().run("list", "--backend");

    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("unknown option --backend for list");
  }
}
