package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class ListCommandTest extends StoreFixture {

  @Test
  void listsKeysOfEveryListingBackendWithBackendVersionAndFingerprintButNoValue() {
    String v = store.put("API_KEY", "store-value");
    dotenv(".env", "DATABASE_URL=postgres://dotenv\n");

    Cli.Result r = cli().run("list");

    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("API_KEY +memory +" + v + " +" + SecretValue.of("store-value").fingerprint())
        .containsPattern("DATABASE_URL +dotenv +content:\\w+ +" + SecretValue.of("postgres://dotenv").fingerprint())
        .doesNotContain("store-value", "postgres://dotenv");
  }

  @Test
  void aKeyHeldByTwoBackendsNamesTheShadowedOne() {
    store.put("API_KEY", "store-value");
    dotenv(".env", "API_KEY=dotenv-value\n");

    Cli.Result r = cli().run("list");

    assertThat(r.out()).containsPattern("API_KEY +memory +1 +local:\\w+ +dotenv");
  }

  @Test
  void environmentVariablesAreListedOnlyWhenRequiredOrAlsoElsewhereUnlessAll() {
    store.put("API_KEY", "store-value");

    Cli.Result plain = cli().set("HOME_DIR", "/home/x").set("API_KEY", "env-value").run("list");
    Cli.Result all = cli().set("HOME_DIR", "/home/x").run("list", "--all");

    assertThat(plain.out()).containsPattern("API_KEY +env +content:\\w+ +local:\\w+ +memory")
        .doesNotContain("HOME_DIR").contains("--all for every one");
    assertThat(all.out()).containsPattern("HOME_DIR +env");
  }

  @Test
  void aMissingRequiredKeyIsListedAsMissing() {
    Cli.Result r = cli().run("list", "--require", "JWT_SECRET_KEY");

    assertThat(r.out()).containsPattern("JWT_SECRET_KEY +- +- +- +missing \\(required\\)");
  }

  @Test
  void backendsThatCannotListAreNamed() {
    InMemorySecretBackend unlistable = new InMemorySecretBackend(MemoryStoreProvider.ID,
        java.util.EnumSet.of(Capability.VERSIONS), java.time.Clock.systemUTC());
    MemoryStoreProvider.register(storeName, unlistable);

    Cli.Result r = cli().run("list");

    assertThat(r.out()).contains("Cannot list: memory (ask per key: secrets explain KEY)");
  }

  @Test
  void jsonListsEveryKeyWithoutValues() {
    store.put("API_KEY", "store-value");

    Cli.Result r = cli().run("list", "--format", "json");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("{").contains("\"key\": \"API_KEY\"", "\"backend\": \"memory\"",
        "\"fingerprint\": \"" + SecretValue.of("store-value").fingerprint() + "\"", "\"listedBy\"")
        .doesNotContain("store-value");
  }

  @Test
  void aFailingBackendMakesListFailWithItsMessage() {
    store.put("API_KEY", "store-value");
    store.failAlways(() -> new org.nexusreussite.secrets.BackendUnavailableException("memory", "store is down"));

    Cli.Result r = cli().run("list");

    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).contains("store is down");
  }

  @Test
  void twoHostsSharingSecretsFingerprintKeyShowTheSameKeyedFingerprintAndNoPlainHash() {
    store.put("API_KEY", "904217");
    String key = "fleet-fingerprint-key-0123456789";

    Cli.Result hostA = cli().set("SECRETS_FINGERPRINT_KEY", key).run("list", "--format", "json");
    Cli.Result hostB = cli().set("secrets.fingerprint.key", key).run("list", "--format", "json");
    Cli.Result unkeyed = cli().run("list", "--format", "json");

    String keyed = SecretValue.of("904217").fingerprint(org.nexusreussite.secrets.FingerprintKey.shared(key));
    assertThat(keyed).startsWith("hmac-");
    assertThat(hostA.out()).contains("\"fingerprint\": \"" + keyed + "\"");
    assertThat(hostB.out()).contains("\"fingerprint\": \"" + keyed + "\"");
    assertThat(unkeyed.out()).containsPattern("\"fingerprint\": \"local:[0-9a-f]{12}\"").doesNotContain(keyed);
    assertThat(hostA.out() + unkeyed.out()).doesNotContain("sha256:", "904217");
  }
}
