package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.VersionSelector;

/** versions, rollback and explain. */
class HistoryCommandsTest extends StoreFixture {

  @Test
  void versionsListsNewestFirstAndMarksCurrentAndServed() {
    store.put("API_KEY", "one");
    store.put("API_KEY", "two");
    store.put("API_KEY", "three");

    Cli.Result r = cli().run("versions", "API_KEY");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("API_KEY in memory: 3 versions, newest first")
        .containsPattern("(?s)VERSION +CURRENT +SERVED.*\\n3 +yes +yes +\\S+ +current +enabled\\n2 +\\S+ +previous"
            + " +enabled\\n1 +\\S+ +enabled");
  }

  @Test
  void versionsOfAKeyWithoutHistoryExitsThreeNamingTheBackend() {
    dotenv(".env", "DATABASE_URL=x\n");

    Cli.Result r = cli().run("versions", "DATABASE_URL");

    assertThat(r.code()).isEqualTo(ExitCodes.UNSUPPORTED);
    assertThat(r.err()).contains("Backend 'dotenv' does not support").hasLineCount(1);
  }

  @Test
  void versionsOfAnUnknownKeyIsNotFound() {
    assertThat(cli().run("versions", "NOPE").code()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void versionsAsJson() {
    store.put("API_KEY", "one");

    assertThat(cli().run("versions", "API_KEY", "--format", "json").out())
        .contains("\"backend\": \"memory\"", "\"id\": \"1\"", "\"current\": true", "\"served\": true");
  }

  @Test
  void rollbackWithoutBackendChangesNothingAndPrintsThePinToApply() {
    store.put("API_KEY", "one");
    store.put("API_KEY", "two");

    Cli.Result r = cli().set("SECRETS_PINS", "OTHER@4,API_KEY@9").run("rollback", "API_KEY");

    // the pin in SECRETS_PINS (9) does not exist, so the CLI cannot serve it: it says so and fails
    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);

    Cli.Result ok = cli().set("SECRETS_PINS", "OTHER@4").run("rollback", "API_KEY");
    assertThat(ok.code()).isZero();
    assertThat(ok.out()).contains("API_KEY: memory serves version 2 (" + SecretValue.of("two").fingerprint()
            + "); the version before it is 1 (" + SecretValue.of("one").fingerprint() + ").")
        .contains("Nothing was changed.")
        .contains("set SECRETS_PINS=OTHER@4,API_KEY@1 and restart them")
        .contains("secrets rollback API_KEY --backend");
    assertThat(store.fetch("API_KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("two");
  }

  @Test
  void rollbackWithBackendMakesThePreviousVersionCurrentInTheStore() {
    store.put("API_KEY", "one");
    store.put("API_KEY", "two");

    Cli.Result r = cli().run("rollback", "API_KEY", "--backend");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Rolled back API_KEY in memory: version 1 (" + SecretValue.of("one").fingerprint()
        + ") is now current for every reader; it was version 2");
    assertThat(store.fetch("API_KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("one");
  }

  @Test
  void rollbackOfAKeyWithoutHistoryExitsThree() {
    Cli.Result r = cli().set("API_KEY", "env").run("rollback", "API_KEY", "--backend");

    assertThat(r.code()).isEqualTo(ExitCodes.UNSUPPORTED);
    assertThat(r.err()).contains("Backend 'env' does not support");
  }

  @Test
  void rollbackWithoutAnEarlierVersionIsNotFound() {
    store.put("API_KEY", "only");

    Cli.Result r = cli().run("rollback", "API_KEY");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("A live version before 1 of 'API_KEY' not found");
  }

  @Test
  void explainNamesBackendVersionFingerprintAndShadowedBackends() {
    store.put("API_KEY", "store-value");
    dotenv(".env", "API_KEY=dotenv-value\n");

    Cli.Result r = cli().run("explain", "API_KEY");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("API_KEY\n")
        .containsPattern("served by +memory\\[in-memory\\]")
        .containsPattern("version +1")
        .containsPattern("fingerprint +" + SecretValue.of("store-value").fingerprint())
        .containsPattern("also held by +dotenv")
        .containsPattern("search order +env \\(400\\) > memory\\[in-memory\\] \\(200\\) > dotenv\\[.*\\] \\(100\\)")
        .containsPattern("pinned +no");
  }

  @Test
  void explainShowsAPin() {
    store.put("API_KEY", "one");
    store.put("API_KEY", "two");

    Cli.Result r = cli().set("SECRETS_PINS", "API_KEY@1").run("explain", "API_KEY", "--format", "json");

    assertThat(r.out()).contains("\"pinned\": \"1\"", "\"version\": \"1\"");
  }

  @Test
  void explainOfAMissingKeyExitsTwo() {
    Cli.Result r = cli().run("explain", "NOPE");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.out()).containsPattern("state +not found");
  }
}
