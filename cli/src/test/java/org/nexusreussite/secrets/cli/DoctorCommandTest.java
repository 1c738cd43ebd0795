package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;

class DoctorCommandTest extends StoreFixture {

  @Test
  void listsEveryProviderActiveOrInactiveWithItsReason() {
    dotenv(".env", "A=1\n");

    Cli.Result r = cli().run("doctor");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .containsPattern("\\+ env +400 +active +environment variables are always read")
        .containsPattern("\\+ memory +200 +active +memory\\[in-memory\\]: SECRETS_TEST_STORE=")
        .containsPattern("\\+ dotenv +100 +active +dotenv\\[.*\\]: .env in ")
        .contains("Result: OK");
  }

  @Test
  void inactiveProvidersSayWhy() {
    Cli.Result r = Cli.isolated().run("doctor");

    assertThat(r.out()).containsPattern("- memory +200 +inactive +SECRETS_TEST_STORE is not set")
        .containsPattern("- dotenv +100 +inactive +no .env file in ");
  }

  @Test
  void probesEachActiveBackend() {
    store.put("A", "1");

    Cli.Result r = cli().run("doctor");

    assertThat(r.out()).containsPattern("env +UP +\\d+ ms +read answered; \\d+ keys")
        .containsPattern("memory +UP +\\d+ ms +in-memory; read answered; 1 keys");
  }

  @Test
  void aBackendThatRefusesCredentialsIsDownAndFailsTheDoctor() {
    store.failAlways(() -> new BackendAuthenticationException("memory", "Failed to authenticate with memory: "
        + "permission denied"));

    Cli.Result r = cli().run("doctor");

    assertThat(r.code()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.out()).containsPattern("memory +DOWN +\\d+ ms +injected failure")
        .contains("Result: problems found (exit 69)");
  }

  @Test
  void missingRequiredSecretsAreReported() {
    Cli.Result r = cli().set("SECRETS_REQUIRED", "DATABASE_URL").run("doctor");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).contains("Required secrets:", "Missing required secrets in development: DATABASE_URL");
  }

  @Test
  void inAStrictProfileWithMissingSecretsProvidersAreStillListed() {
    Cli.Result r = cli().run("doctor", "--profile", "production", "--require", "DATABASE_URL");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).contains("profile production (strict)")
        .containsPattern("\\+ memory +200 +active")
        .containsPattern("- dotenv +100 +inactive +.env files are not read in strict profile 'production'")
        .contains("Missing required secrets in production: DATABASE_URL");
  }

  @Test
  void warnsAboutADotenvFileReadableByOthers() throws Exception {
    Path env = dotenv(".env", "A=1\n");
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));

    Cli.Result r = cli().run("doctor");

    assertThat(r.code()).as("a warning alone does not fail").isZero();
    assertThat(r.out()).contains("Warnings:").contains(env + " holds secrets but is readable by group or others");
    assertThat(r.out().split(java.util.regex.Pattern.quote("readable by group or others"), -1))
        .as("reported once").hasSize(2);
  }

  @Test
  void notesDotenvFilesIgnoredInAStrictProfile() {
    Path env = dotenv(".env", "A=1\n");

    Cli.Result r = cli().set("DATABASE_URL", "x").run("doctor", "--profile", "production");

    assertThat(r.out()).contains(env + " exists but .env files are not read in strict profile 'production'");
  }

  @Test
  void warnsAboutPlainHttpInAStrictProfileAndReportsTheStartupError() {
    Cli.Result r = cli().set("VAULT_ADDR", "http://127.0.0.1:1").run("doctor", "--profile", "production");

    assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.out()).contains("The resolver cannot be built")
        .contains("VAULT_ADDR uses http:// in strict profile 'production'")
        .containsPattern("\\+ env +400 +active");
  }

  @Test
  void jsonCarriesProvidersProbesAndWarnings() {
    Cli.Result r = cli().run("doctor", "--format", "json");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"providers\": [", "\"id\": \"memory\"", "\"probes\": [", "\"status\": \"UP\"",
        "\"warnings\": []", "\"ok\": true");
  }

  @Test
  void doctorListsBackendsInTheResolversOrderUnderSecretsBackends() {
    dotenv(".env", "A=1\n");
    Cli run = cli().set("SECRETS_BACKENDS", "dotenv,memory");

    Cli.Result r = run.run("doctor");

    assertThat(r.out()).containsPattern("\\+ dotenv +1000 +active[^\\n]*\\n +\\+ memory +999 +active")
        .containsPattern("- env +400 +inactive +not listed in SECRETS_BACKENDS");
    assertThat(activeIdsInDoctorOrder(r.out())).isEqualTo(resolverOrder(run));
  }

  @Test
  void doctorAppliesOrdinalSettingsAsTheResolverDoes() {
    dotenv(".env", "A=1\n");
    Cli run = cli().set("SECRETS_DOTENV_ORDINAL", "450").set("SECRETS_MEMORY_ORDINAL", "50");

    Cli.Result r = run.run("doctor");

    assertThat(activeIdsInDoctorOrder(r.out())).containsExactly("dotenv@450", "env@400", "memory@50")
        .isEqualTo(resolverOrder(run));
  }

  @Test
  void aSecretsBackendsErrorIsReportedWithEveryProviderStillListed() {
    Cli.Result r = cli().set("SECRETS_BACKENDS", "nosuch").run("doctor");

    assertThat(r.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.out()).contains("SECRETS_BACKENDS names backend 'nosuch', which is not on the classpath")
        .containsPattern("- memory +200 +inactive +not listed in SECRETS_BACKENDS");
  }

  private static java.util.List<String> activeIdsInDoctorOrder(String out) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ +\\+ (\\S+) +(\\d+) +active").matcher(out);
    while (m.find()) {
      ids.add(m.group(1) + "@" + m.group(2));
    }
    return ids;
  }

  private static java.util.List<String> resolverOrder(Cli run) {
    try (org.nexusreussite.secrets.SecretResolver resolver = org.nexusreussite.secrets.SecretResolver.builder()
        .config(org.nexusreussite.secrets.SecretsConfig.of(run.settings())).discover().build()) {
      return resolver.inspect().describe().backends().stream().filter(b -> b.active()).map(b -> b.id() + "@" + b.ordinal())
          .toList();
    }
  }
}
