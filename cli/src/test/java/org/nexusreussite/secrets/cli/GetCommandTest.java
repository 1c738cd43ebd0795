package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class GetCommandTest {
  private final String storeName = "get-" + UUID.randomUUID();
  private final InMemorySecretBackend store = new InMemorySecretBackend(MemoryStoreProvider.ID);

  @BeforeEach
  void register() {
    MemoryStoreProvider.register(storeName, store);
  }

  @AfterEach
  void unregister() {
    MemoryStoreProvider.unregister(storeName);
  }

  private Cli cli() {
    return Cli.isolated().set("SECRETS_TEST_STORE", storeName);
  }

  @Test
  void printsTheValueFromTheEnvironment() {
    Cli.Result r = Cli.isolated().set("DATABASE_URL", "postgres://env").run("get", "DATABASE_URL");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("postgres://env" + System.lineSeparator());
    assertThat(r.err()).isEmpty();
  }

  @Test
  void printsTheValueFromAStoreBackend() {
    store.put("API_KEY", "from-store");

    Cli.Result r = cli().run("get", "API_KEY");

    assertThat(r.code()).isZero();
    assertThat(r.out().strip()).isEqualTo("from-store");
  }

  @Test
  void environmentOutranksTheStore() {
    store.put("API_KEY", "from-store");

    Cli.Result r = cli().set("API_KEY", "from-env").run("get", "API_KEY");

    assertThat(r.out().strip()).isEqualTo("from-env");
  }

  @Test
  void versionOptionReadsThatVersion() {
    store.put("API_KEY", "first");
    store.put("API_KEY", "second");

    assertThat(cli().run("get", "API_KEY", "--version", "1").out().strip()).isEqualTo("first");
    assertThat(cli().run("get", "API_KEY").out().strip()).isEqualTo("second");
  }

  @Test
  void stageOptionReadsByStage() {
    store.put("API_KEY", "first");
    store.put("API_KEY", "second");

    Cli.Result r = cli().run("get", "API_KEY", "--stage", InMemorySecretBackend.PREVIOUS);

    assertThat(r.out().strip()).isEqualTo("first");
  }

  @Test
  void unknownVersionIsNotFound() {
    store.put("API_KEY", "first");

    Cli.Result r = cli().run("get", "API_KEY", "--version", "9");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).contains("Version 9 of 'API_KEY' not found");
  }

  @Test
  void missingKeyExitsTwoWithOneLineOnStderr() {
    Cli.Result r = cli().run("get", "NOPE");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("secrets: Secret 'NOPE' not found (searched: env, memory[in-memory])")
        .hasLineCount(1);
  }

  @Test
  void jsonFormatCarriesBackendVersionAndFingerprint() {
    String v = store.put("API_KEY", "v\"al\nue");

    Cli.Result r = cli().run("get", "API_KEY", "--format", "json");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"key\": \"API_KEY\"", "\"backend\": \"memory\"", "\"version\": \"" + v + "\"",
        "\"fingerprint\": \"" + SecretValue.of("v\"al\nue").fingerprint() + "\"", "\"value\": \"v\\\"al\\nue\"");
  }

  @Test
  void envFormatIsEvaluatedBackToTheSameValueByAShell() throws IOException, InterruptedException {
    String tricky = "it's a $HOME `pwd` \"value\"\nline 2";
    Cli.Result r = Cli.isolated().set("TOKEN", tricky).run("get", "TOKEN", "--format", "env");

    Process sh = new ProcessBuilder("sh", "-c", "eval \"$1\"; printf %s \"$TOKEN\"", "sh", r.out().strip()).start();
    String printed = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(sh.waitFor()).isZero();
    assertThat(printed).isEqualTo(tricky);
  }

  @Test
  void unreachableBackendExits69WithItsMessage() {
    store.put("API_KEY", "x");
    store.failAlways(() -> new org.nexusreussite.secrets.BackendUnavailableException("memory", "connection refused"));

    Cli.Result r = cli().run("get", "API_KEY");

    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("connection refused").doesNotContain("at org.");
  }

  @Test
  void deniedBackendExits77() {
    store.failAlways(() -> new BackendAuthenticationException("memory", "Failed to authenticate with memory: "
        + "token expired"));

    Cli.Result r = cli().run("get", "API_KEY");

    assertThat(r.code()).isEqualTo(ExitCodes.DENIED);
    assertThat(r.err()).contains("token expired");
  }

  @Test
  void debugAddsTheStackTrace() {
    store.failAlways(() -> new org.nexusreussite.secrets.BackendUnavailableException("memory", "down"));

    Cli.Result r = cli().run("get", "API_KEY", "--debug");

    assertThat(r.err()).contains("\tat org.nexusreussite");
  }

  @Test
  void profileOptionSelectsAStrictProfileWithItsRules() {
    Cli.Result r = Cli.isolated().set("A", "x").run("get", "A", "--profile", "production", "--require", "B");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.err()).contains("Missing required secrets in production: B");
  }

  @Test
  void badSettingExits78NamingIt() {
    Cli.Result r = Cli.isolated().set("A", "x").set("SECRETS_CACHE_REFRESH", "soon").run("get", "A");

    assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err()).contains("SECRETS_CACHE_REFRESH").hasLineCount(1);
  }
}
