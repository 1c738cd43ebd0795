package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;

/** {@code set} and {@code rotate} on the real entry point with an in-memory store that keeps versions. */
class WriteCommandsTest extends StoreFixture {
  private static final String CANARY = "CANARY-set-4f1a";

  private String current(String key) {
    return store.fetch(key, VersionSelector.latest()).orElseThrow().reveal();
  }

  @Test
  void setReadsTheValueFromStandardInputWithoutItsTrailingNewline() {
    store.put("API_KEY", "old");
    Cli.Result r = cli().runWithInput(CANARY + "\n", "set", "API_KEY");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(current("API_KEY")).isEqualTo(CANARY);
    assertThat(r.out()).startsWith("set API_KEY in memory: version 1 -> 2 (local:").doesNotContain(CANARY);
  }

  @Test
  void setRefusesAnEmptyValueUnlessAllowed() {
    store.put("API_KEY", "old");
    Cli.Result r = cli().runWithInput("", "set", "API_KEY");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("empty value").contains("--allow-empty");
    assertThat(current("API_KEY")).isEqualTo("old");

    assertThat(cli().runWithInput("\n", "set", "API_KEY", "--allow-empty").code()).isZero();
    assertThat(current("API_KEY")).isEmpty();
  }

  @Test
  void setCreatesAKeyNoBackendHolds() {
    Cli.Result r = cli().runWithInput(CANARY, "set", "NEW_KEY", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"previous\": null").contains("\"current\": \"1\"").doesNotContain(CANARY);
    assertThat(current("NEW_KEY")).isEqualTo(CANARY);
  }

  @Test
  void aStaleExpectedVersionIsAConflictWithItsOwnExitCode() {
    store.put("API_KEY", "v1");
    store.put("API_KEY", "v2");
    Cli.Result r = cli().runWithInput(CANARY, "set", "API_KEY", "--expect-version", "1");
    assertThat(r.code()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(r.err()).contains("lost to version 2").doesNotContain(CANARY);
    assertThat(current("API_KEY")).isEqualTo("v2");
  }

  @Test
  void aReadOnlyBackendIsRefusedWithTheUnsupportedCode() {
    dotenv(".env", "FROM_DOTENV=x\n");
    Cli.Result r = cli().runWithInput(CANARY, "set", "FROM_DOTENV");
    assertThat(r.code()).isEqualTo(ExitCodes.UNSUPPORTED);
    assertThat(r.err()).contains("does not support write (WRITE)").contains("read-only");
  }

  @Test
  void rotateGeneratesAndPrintsVersionsAndFingerprint() {
    store.put("JWT_SECRET_KEY", "old");
    Cli.Result r = cli().run("rotate", "JWT_SECRET_KEY", "--generate", "hex:32");
    assertThat(r.code()).as(r.err()).isZero();
    String value = current("JWT_SECRET_KEY");
    assertThat(value).matches("[0-9a-f]{64}");
    assertThat(r.out()).startsWith("rotated JWT_SECRET_KEY in memory: version 1 -> 2 (").doesNotContain(value);
  }

  @Test
  void rotateDryRunChangesNothing() {
    store.put("JWT_SECRET_KEY", "old");
    Cli.Result r = cli().run("rotate", "JWT_SECRET_KEY", "--generate", "base64:48", "--dry-run");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("would rotate JWT_SECRET_KEY in memory: version 1 -> (new)");
    assertThat(store.versions("JWT_SECRET_KEY")).hasSize(1);
  }

  @Test
  void aFailingVerifyCommandRollsBackAndExitsFive() {
    store.put("DB_PASSWORD", "old");
    Cli.Result r = cli().run("rotate", "DB_PASSWORD", "--generate", "password:20",
        "--verify-cmd", "test \"$DB_PASSWORD\" = \"$SECRETS_VERIFY_VALUE\" && exit 7");
    assertThat(r.code()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    assertThat(r.err()).contains("exited with code 7").contains("rolled back");
    assertThat(current("DB_PASSWORD")).isEqualTo("old");
    assertThat(store.versions("DB_PASSWORD")).extracting(SecretVersion::id).containsExactly("3", "2", "1");
  }

  @Test
  void aPassingVerifyCommandSeesTheValueInItsEnvironmentOnly() {
    store.put("DB_PASSWORD", "old");
    Cli.Result r = cli().run("rotate", "DB_PASSWORD", "--generate", "password:20",
        "--verify-cmd", "test -n \"$DB_PASSWORD\" && test \"$SECRETS_VERIFY_KEY\" = DB_PASSWORD");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(current("DB_PASSWORD")).hasSize(20);
  }

  @Test
  void rotateDueRotatesExactlyTheKeysOlderThanTheirMaxAge() throws Exception {
    ManualClock past = new ManualClock(Instant.now().minus(Duration.ofDays(40)));
    InMemorySecretBackend aged = new InMemorySecretBackend(MemoryStoreProvider.ID,
        EnumSet.allOf(Capability.class), past);
    MemoryStoreProvider.register(storeName, aged);
    aged.put("OLD_KEY", "o");                 // 40 days old
    past.advance(Duration.ofDays(30));
    aged.put("YOUNG_KEY", "y");               // 10 days old
    Path policy = dir.resolve("rotation.properties");
    Files.writeString(policy, """
        OLD_KEY.generator=hex:16
        OLD_KEY.max-age=30d
        YOUNG_KEY.generator=hex:16
        YOUNG_KEY.max-age=30d
        MISSING_KEY.generator=hex:16
        MISSING_KEY.max-age=1d
        """);

    Cli.Result dry = cli().run("rotate", "--due", "--policy", policy.toString(), "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would rotate OLD_KEY").doesNotContain("YOUNG_KEY");
    assertThat(aged.versions("OLD_KEY")).hasSize(1);

    Cli.Result r = cli().run("rotate", "--due", "--policy", policy.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1).allMatch(l -> l.startsWith("rotated OLD_KEY in memory: version 1 -> 2"));
    assertThat(r.err()).contains("YOUNG_KEY: not due").contains("MISSING_KEY: not due (not found");
    assertThat(aged.versions("YOUNG_KEY")).hasSize(1);

    Cli.Result again = cli().run("rotate", "--due", "--policy", policy.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.NOTHING_DUE);
    assertThat(again.err()).contains("nothing due");

    Files.writeString(policy, "YOUNG_KEY.generator=hex:16\nYOUNG_KEY.max-age=5d\nOLD_KEY.generator=hex:16\n"
        + "OLD_KEY.max-age=30d\n"); // YOUNG_KEY's version is 10 days old
    Cli.Result json = cli().run("rotate", "--due", "--policy", policy.toString(), "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"key\": \"YOUNG_KEY\"", "\"action\": \"rotated\"", "\"action\": \"not-due\"",
        "\"exitCode\": 0");
    assertThat(aged.versions("YOUNG_KEY")).hasSize(2);
  }

  @Test
  void rotateDueStillTriesTheOtherKeysWhenOneKeysStoreFails() throws Exception {
    ManualClock past = new ManualClock(Instant.now().minus(Duration.ofDays(40)));
    InMemorySecretBackend aged = new InMemorySecretBackend(MemoryStoreProvider.ID,
        EnumSet.allOf(Capability.class), past);
    MemoryStoreProvider.register(storeName, aged);
    aged.put("FIRST_KEY", "f");
    aged.put("SECOND_KEY", "s");
    Path policy = dir.resolve("rotation.properties");
    Files.writeString(policy, "FIRST_KEY.generator=hex:16\nFIRST_KEY.max-age=30d\n"
        + "SECOND_KEY.generator=hex:16\nSECOND_KEY.max-age=30d\n");
    aged.failNext(1); // the first key's check: its store does not answer

    Cli.Result r = cli().run("rotate", "--due", "--policy", policy.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("store unreachable");
    assertThat(r.out()).contains("rotated SECOND_KEY");
    assertThat(aged.versions("SECOND_KEY")).hasSize(2);
    assertThat(aged.versions("FIRST_KEY")).hasSize(1);
  }

  @Test
  void aPolicyNamingAStoreThatDoesNotServeTheKeyIsAnErrorNotARotationOnEveryRun() throws Exception {
    ManualClock past = new ManualClock(Instant.now().minus(Duration.ofDays(40)));
    InMemorySecretBackend aged = new InMemorySecretBackend(MemoryStoreProvider.ID,
        EnumSet.allOf(Capability.class), past);
    MemoryStoreProvider.register(storeName, aged);
    aged.put("OLD_KEY", "o");
    Path policy = dir.resolve("rotation.properties");
    Files.writeString(policy, "OLD_KEY.generator=hex:16\nOLD_KEY.max-age=30d\nOLD_KEY.backend=vault\n");

    Cli.Result r = cli().run("rotate", "--due", "--policy", policy.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("OLD_KEY.backend is vault").contains(MemoryStoreProvider.ID + " serves OLD_KEY");
    assertThat(aged.versions("OLD_KEY")).hasSize(1);
  }

  @Test
  void aPipedStandardInputIsNotTakenForATerminal() {
    // surefire's standard input is a pipe: read as a stream, never through Console (JDK 22+ has one for pipes)
    assertThat(SetCommand.stdinIsTerminal()).isFalse();
  }

  @Test
  void aBadPolicyLineNamesFileAndLine() throws Exception {
    Path policy = dir.resolve("bad.properties");
    Files.writeString(policy, "# comment\nOLD_KEY.generator=rot13:4\nOLD_KEY.max-age=30d\n");
    Cli.Result r = cli().run("rotate", "--due", "--policy", policy.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains(policy + ":2: OLD_KEY.generator: Unknown generator 'rot13'");
  }

  @Test
  void rotateNeedsAKeyOrDue() {
    assertThat(cli().run("rotate").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli().run("rotate", "K", "--due").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli().run("rotate", "K").err()).contains("needs --generate");
  }

  @Test
  void noWriteCommandPrintsTheValue() {
    store.put("API_KEY", "old-" + CANARY);
    List<Cli.Result> runs = List.of(
        cli().runWithInput(CANARY, "set", "API_KEY"),
        cli().runWithInput(CANARY, "set", "API_KEY", "--format", "json"),
        cli().runWithInput(CANARY, "set", "API_KEY", "--expect-version", "1"),
        cli().runWithInput(CANARY, "set", "API_KEY", "--backend", "nope"),
        cli().run("rotate", "API_KEY", "--generate", "hex:16", "--dry-run"),
        cli().run("rotate", "API_KEY", "--generate", "hex:16", "--verify-cmd", "exit 1"),
        cli().run("rotate", "API_KEY", "--generate", "hex:16", "--debug"));
    for (Cli.Result r : runs) {
      assertThat(r.all()).doesNotContain(CANARY);
    }
  }

  @Test
  void everyNewErrorIsQuotedInTheSecurityGuide() {
    store.put("API_KEY", "v1");
    store.put("API_KEY", "v2");
    dotenv(".env", "FROM_DOTENV=x\n");
    List<Cli.Result> failures = List.of(
        cli().runWithInput(CANARY, "set", "API_KEY", "--expect-version", "1"),
        cli().runWithInput(CANARY, "set", "FROM_DOTENV"),
        cli().runWithInput(CANARY, "set", "API_KEY", "--backend", "nope"),
        cli().run("rotate", "API_KEY", "--generate", "hex:16", "--backend", "nope", "--dry-run"),
        cli().run("rotate", "API_KEY", "--generate", "hex:16", "--verify-cmd", "exit 3"),
        cli().run("rotate", "API_KEY", "--generate", "rot13:4"),
        cli().run("rotate", "--due", "--policy", dir.resolve("absent.properties").toString()));
    for (Cli.Result r : failures) {
      assertThat(r.code()).isNotZero();
      String line = r.err().lines().filter(l -> l.startsWith("secrets: ")).findFirst().orElseThrow();
      org.nexusreussite.secrets.buildsupport.SecurityGuide.assertDocumented(line.substring("secrets: ".length()));
    }
  }
}
