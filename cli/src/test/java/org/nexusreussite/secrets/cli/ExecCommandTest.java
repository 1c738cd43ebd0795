package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecCommandTest extends StoreFixture {

  @Test
  void theChildSeesTheSecretsInItsEnvironment() {
    store.put("API_KEY", "from-store");
    dotenv(".env", "DATABASE_URL=postgres://dotenv\n");

    Cli.Result r = cli().run("exec", "--", "sh", "-c", "printf '%s|%s' \"$API_KEY\" \"$DATABASE_URL\"");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("from-store|postgres://dotenv");
  }

  @Test
  void onlyPassesJustTheNamedKeys() {
    store.put("API_KEY", "from-store");
    store.put("OTHER", "other");

    Cli.Result r = cli().run("exec", "--only", "API_KEY", "--", "sh", "-c", "printf '%s|%s' \"$API_KEY\" \"$OTHER\"");

    assertThat(r.out()).isEqualTo("from-store|");
  }

  @Test
  void theChildKeepsTheInheritedEnvironment() {
    Cli.Result r = cli().run("exec", "--", "sh", "-c", "test -n \"$PATH\" && printf ok");

    assertThat(r.out()).isEqualTo("ok");
  }

  @Test
  void theChildsExitCodePassesThrough() {
    assertThat(cli().run("exec", "--", "sh", "-c", "exit 7").code()).isEqualTo(7);
    assertThat(cli().run("exec", "--", "true").code()).isZero();
  }

  @Test
  void aChildKilledBySignalNGives128PlusN() {
    assertThat(cli().run("exec", "--", "sh", "-c", "kill -TERM $$").code()).isEqualTo(128 + 15);
    assertThat(cli().run("exec", "--", "sh", "-c", "kill -KILL $$").code()).isEqualTo(128 + 9);
  }

  @Test
  void theChildsStderrIsPassedOn() {
    Cli.Result r = cli().run("exec", "--", "sh", "-c", "echo oops >&2");

    assertThat(r.err()).isEqualTo("oops\n");
  }

  @Test
  void anUnknownCommandExits127() {
    Cli.Result r = cli().run("exec", "--", "no-such-command-here");

    assertThat(r.code()).isEqualTo(ExitCodes.COMMAND_NOT_FOUND);
    assertThat(r.err()).contains("cannot run no-such-command-here: command not found");
  }

  @Test
  void aMissingOnlyKeyKeepsTheChildFromStarting() {
    Cli.Result r = cli().run("exec", "--only", "API_KEY,NOPE", "--", "sh", "-c", "echo started");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("not starting sh: 2 of the --only keys did not resolve: API_KEY, NOPE");
  }

  @Test
  void missingRequiredSecretsStopTheChildInAStrictProfile() {
    Cli.Result r = cli().run("exec", "--profile", "production", "--require", "DATABASE_URL", "--", "sh", "-c",
        "echo started");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Missing required secrets in production: DATABASE_URL");
  }

  @Test
  void requiredKeysFromNonListingBackendsAreStillPassed() {
    org.nexusreussite.secrets.testkit.InMemorySecretBackend unlistable =
        new org.nexusreussite.secrets.testkit.InMemorySecretBackend(MemoryStoreProvider.ID,
            java.util.EnumSet.noneOf(org.nexusreussite.secrets.spi.Capability.class), java.time.Clock.systemUTC());
    unlistable.put("JWT_SECRET_KEY", "jwt");
    MemoryStoreProvider.register(storeName, unlistable);

    Cli.Result r = cli().set("SECRETS_REQUIRED", "JWT_SECRET_KEY").run("exec", "--", "sh", "-c",
        "printf %s \"$JWT_SECRET_KEY\"");

    assertThat(r.out()).isEqualTo("jwt");
  }

  // The shutdown hook and the start share a lock (CI once saw the child outlive `secrets exec` after a SIGINT
  // that landed between the child's start and the hook's registration, which came after it then).

  @Test
  void aSignalBeforeTheChildStartsMeansNoChildIsStarted() throws Exception {
    Exec.ChildOnSignal onSignal = new Exec.ChildOnSignal();
    onSignal.run();

    assertThat(onSignal.start(new ProcessBuilder("sleep", "60"))).isNull();
  }

  @Test
  void aSignalAfterTheChildStartedTerminatesIt() throws Exception {
    Exec.ChildOnSignal onSignal = new Exec.ChildOnSignal();
    Process child = onSignal.start(new ProcessBuilder("sleep", "60"));
    try {
      assertThat(child).isNotNull();

      onSignal.run();

      assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("terminated by the hook").isTrue();
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
    }
  }
}
