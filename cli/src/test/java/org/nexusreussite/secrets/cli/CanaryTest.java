package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A known value planted in every source (environment, in-memory store with history, .env file, a schema
 * file, a failing backend's exception): no command but {@code get} and {@code exec}'s child may print it.
 */
class CanaryTest extends StoreFixture {
  private static final String CANARY = "CANARY-9b7e42d1-secret";

  private final List<String> leaks = new ArrayList<>();

  @BeforeEach
  void plant() {
    store.put("API_KEY", "old-" + CANARY);
    store.put("API_KEY", CANARY);
    store.put("STORE_ONLY", CANARY + "-store");
    dotenv(".env", "DATABASE_URL=" + CANARY + "\nDOTENV_ONLY=\"" + CANARY + "-dotenv\"\n");
  }

  private Cli canaryCli() {
    return cli().set("ENV_ONLY", CANARY + "-env").set("SECRETS_REQUIRED", "API_KEY,DATABASE_URL,ENV_ONLY");
  }

  private void noCanary(Cli cli, String... args) {
    Cli.Result r = cli.run(args);
    if (r.all().contains(CANARY)) {
      leaks.add(String.join(" ", args) + " -> " + r.all());
    }
  }

  @Test
  void theCanaryIsReachableSoTheOtherChecksMeanSomething() {
    assertThat(canaryCli().run("get", "API_KEY").out().strip()).isEqualTo(CANARY);
    assertThat(canaryCli().run("get", "DOTENV_ONLY").out().strip()).isEqualTo(CANARY + "-dotenv");
    assertThat(canaryCli().run("exec", "--", "sh", "-c", "printf %s \"$STORE_ONLY\"").out())
        .isEqualTo(CANARY + "-store");
  }

  @Test
  void noCommandPrintsAValue() {
    String[][] runs = {
        {"list"}, {"list", "--all"}, {"list", "--format", "json"}, {"list", "--all", "--format", "json"},
        {"check"}, {"check", "--format", "json"}, {"check", "--require", "NOPE"},
        {"check", "--profile", "production", "--require", "NOPE"},
        {"doctor"}, {"doctor", "--format", "json"}, {"doctor", "--profile", "production"},
        {"doctor", "--require", "NOPE"},
        {"explain", "API_KEY"}, {"explain", "DATABASE_URL", "--format", "json"}, {"explain", "ENV_ONLY"},
        {"versions", "API_KEY"}, {"versions", "API_KEY", "--format", "json"}, {"versions", "DATABASE_URL"},
        {"rollback", "API_KEY"}, {"rollback", "API_KEY", "--format", "json"},
        {"get", "NOPE"}, {"get", "API_KEY", "--version", "7"}, {"get", "DATABASE_URL", "--stage", "x"},
        {"exec", "--only", "API_KEY,NOPE", "--", "true"}, {"exec", "--", "true"},
        {"exec", "--", "sh", "-c", "exit 3"}, {"exec", "--", "no-such-command-anywhere"},
        // a value typed where an option's value or a format goes is not echoed either
        {"list", "--x=" + CANARY}, {"list", "--format", CANARY}, {"list", "--require", "BAD KEY " + CANARY},
    };
    for (String[] args : runs) {
      noCanary(canaryCli(), args);
    }
    noCanary(canaryCli(), "rollback", "API_KEY", "--backend");

    assertThat(leaks).isEmpty();
  }

  @Test
  void aForeignExceptionCarryingTheCanaryIsNotPrinted() {
    store.failAlways(() -> new IllegalStateException("store said: " + CANARY));

    for (String[] args : new String[][] {{"get", "API_KEY"}, {"list"}, {"check"}, {"doctor"}, {"explain", "API_KEY"},
        {"versions", "API_KEY"}, {"exec", "--", "true"}}) {
      noCanary(canaryCli(), args);
    }

    assertThat(leaks).isEmpty();
  }

  @Test
  void aMalformedDotenvLineIsNotPrinted() {
    dotenv(".env", "GOOD=1\nBAD=\"" + CANARY + "\n");

    for (String[] args : new String[][] {{"get", "GOOD"}, {"list"}, {"check"}, {"doctor"}, {"explain", "GOOD"}}) {
      noCanary(canaryCli(), args);
    }

    assertThat(leaks).isEmpty();
    assertThat(canaryCli().run("get", "GOOD").err()).contains(".env:2");
  }

  @Test
  void aSchemaFileIsNotPrinted() {
    java.nio.file.Path schema = dotenv("schema.env", "API_KEY=" + CANARY + "\nbad line " + CANARY + "\n");

    noCanary(canaryCli(), "check", "--schema", schema.toString());
    noCanary(canaryCli(), "doctor", "--schema", schema.toString());

    assertThat(leaks).isEmpty();
  }
}
