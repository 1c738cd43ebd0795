package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckCommandTest extends StoreFixture {

  @Test
  void allRequiredPresentPrintsOneSummaryLine() {
    store.put("JWT_SECRET_KEY", "j");
    dotenv(".env", "DATABASE_URL=postgres://x\n");

    Cli.Result r = cli().set("SECRETS_REQUIRED", "DATABASE_URL,JWT_SECRET_KEY").run("check");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("All 2 required secrets resolved in development (searched: env, memory")
        .hasLineCount(1);
    assertThat(r.err()).isEmpty();
  }

  @Test
  void missingKeysAreReportedAllAtOnceWithTheReasonPerBackend() {
    dotenv(".env", "DATABASE_URL=postgres://x\n");

    Cli.Result r = cli().set("SECRETS_REQUIRED", "DATABASE_URL,JWT_SECRET_KEY,SECRET_KEY").run("check");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).startsWith("Missing required secrets in development: JWT_SECRET_KEY, SECRET_KEY (searched:")
        .contains("  JWT_SECRET_KEY: env: not found; memory: not found; dotenv: not found")
        .contains("  SECRET_KEY: env: not found; memory: not found; dotenv: not found")
        .contains("- Run 'secrets doctor'");
    assertThat(r.err()).as("the resolver's own warning is replaced by the report").isEmpty();
  }

  @Test
  void aFailingBackendIsTheReasonForItsKeys() {
    store.failAlways(() -> new org.nexusreussite.secrets.BackendAuthenticationException("memory",
        "Failed to authenticate with memory: token expired"));

    Cli.Result r = cli().run("check", "--require", "API_KEY");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).contains("API_KEY: env: not found; memory: denied: Failed to authenticate with memory");
  }

  @Test
  void strictProfileReportsTheSameWayAlthoughTheResolverRefusesToStart() {
    Cli.Result r = cli().run("check", "--profile", "production", "--require", "DATABASE_URL");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).startsWith("Missing required secrets in production: DATABASE_URL");
  }

  @Test
  void schemaFileDeclaresRequiredKeys() {
    Path schema = dotenv(".env.example", "SECRET_KEY=change-me\nOPENAI_API_KEY= # optional\n");
    dotenv(".env", "SECRET_KEY=s\n");

    Cli.Result ok = cli().run("check", "--schema", schema.toString());
    Cli.Result missing = Cli.isolated().set("SECRETS_SCHEMA", schema.toString()).run("check");

    assertThat(ok.code()).isZero();
    assertThat(ok.out()).startsWith("All 1 required secrets resolved");
    assertThat(missing.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(missing.out()).contains("SECRET_KEY").doesNotContain("OPENAI_API_KEY");
  }

  @Test
  void nothingDeclaredIsSaidPlainly() {
    Cli.Result r = cli().run("check");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("No required secrets declared for profile development");
  }

  @Test
  void jsonReportListsMissingKeysWithReasons() {
    Cli.Result r = cli().run("check", "--require", "A,B", "--format", "json");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).contains("\"valid\": false", "\"key\": \"A\"", "\"key\": \"B\"", "\"memory\": \"not found\"");
  }
}
