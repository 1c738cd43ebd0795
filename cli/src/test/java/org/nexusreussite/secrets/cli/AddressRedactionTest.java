package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 8: a password in a store address ({@code VAULT_ADDR=https://user:password@host}) is shown
 * nowhere, neither by {@code doctor} (text or JSON) nor in the error of a read.
 */
class AddressRedactionTest {
  private static final String PASSWORD = "canary-addr-pw-4e1";

  private static Cli cli() {
    // port 9 (discard) on loopback: nothing listens, so every call fails fast with an error naming the address
    return Cli.isolated()
        .set("VAULT_ADDR", "http://operator:" + PASSWORD + "@127.0.0.1:9")
        .set("VAULT_TOKEN", "s.token")
        .set("SECRETS_VAULT_RETRIES", "0")
        .set("SECRETS_VAULT_READ_TIMEOUT", "2s");
  }

  @Test
  void doctorShowsTheAddressWithItsUserInfoRedacted() {
    Cli.Result r = cli().run("doctor");

    assertThat(r.out() + r.err()).doesNotContain(PASSWORD).contains("***@127.0.0.1:9");
  }

  @Test
  void doctorAsJsonDoesNotShowThePassword() {
    Cli.Result r = cli().run("doctor", "--format", "json");

    assertThat(r.out() + r.err()).doesNotContain(PASSWORD);
  }

  @Test
  void aFailedReadDoesNotShowThePassword() {
    Cli.Result r = cli().run("get", "API_KEY");

    assertThat(r.code()).isNotZero();
    assertThat(r.out() + r.err()).doesNotContain(PASSWORD).contains("***@127.0.0.1:9");
  }
}
