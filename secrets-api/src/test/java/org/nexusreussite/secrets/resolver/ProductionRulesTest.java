package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.ValidationReport;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class ProductionRulesTest {

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend vault = f.backend("vault");

  @Test
  void aStrictProfileRefusesToStartAndListsEveryMissingKeyAtOnce() {
    vault.put("SECRET_KEY", "present");
    f.settings.put("SECRETS_PROFILE", "production");
    f.settings.put("SECRETS_REQUIRED", "SECRET_KEY,JWT_SECRET_KEY,DATABASE_URL");
    assertThatThrownBy(() -> f.builder().backend(vault, 300).require("OPENAI_API_KEY").build())
        .isInstanceOf(MissingSecretsException.class)
        .hasMessageStartingWith("Missing required secrets in production: ")
        .hasMessageContaining("JWT_SECRET_KEY")
        .hasMessageContaining("DATABASE_URL")
        .hasMessageContaining("OPENAI_API_KEY")
        .satisfies(e -> assertThat(((MissingSecretsException) e).report().missingKeys())
            .containsExactlyInAnyOrder("JWT_SECRET_KEY", "DATABASE_URL", "OPENAI_API_KEY"));
    assertThat(vault.closed()).as("a refused resolver releases its backends").isTrue();
  }

  @Test
  void aDevelopmentProfileStartsAndValidateStillReportsTheGaps() {
    f.settings.put("SECRETS_REQUIRED", "DATABASE_URL");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      ValidationReport report = r.inspect().validate();
      assertThat(report.valid()).isFalse();
      assertThat(report.missingKeys()).containsExactly("DATABASE_URL");
      assertThat(report.summary()).startsWith("Missing required secrets in development: DATABASE_URL");
    }
  }

  @Test
  void theReportGivesTheReasonPerBackend() {
    InMemorySecretBackend denied = f.backend("azure");
    denied.failAlways(() -> new BackendAuthenticationException("azure", "permission denied"));
    f.settings.put("SECRETS_REQUIRED", "DATABASE_URL,SECRET_KEY");
    try (SecretResolver r = f.builder().backend(vault, 300).build();
        SecretResolver r2 = new ResolverFixture().builder().backend(denied, 300).backend(f.backend("dotenv"), 100)
            .require("DATABASE_URL").build()) {
      ValidationReport.Problem problem = r.inspect().validate().problems().get(0);
      assertThat(problem.reasons()).containsEntry("vault", "not found");
      ValidationReport.Problem deniedProblem = r2.inspect().validate().problems().get(0);
      assertThat(deniedProblem.reasons().get("azure")).startsWith("denied: ");
      assertThat(r2.inspect().validate().toString()).contains("DATABASE_URL").contains("azure");
    }
  }

  @Test
  void aCodeDefaultStillServesOptionalKeysInAStrictProfileAndRequiredOnesInDevelopment() {
    vault.put("DATABASE_URL", "present");
    f.settings.put("SECRETS_PROFILE", "production");
    try (SecretResolver r = f.builder().backend(vault, 300).require("DATABASE_URL").build()) {
      assertThat(r.resolve("OPTIONAL_KEY", "fallback")).isEqualTo("fallback");
    }
    f.settings.put("SECRETS_PROFILE", "development");
    try (SecretResolver r = f.builder().backend(f.backend("other"), 300).require("JWT_SECRET_KEY").build()) {
      assertThat(r.resolve("JWT_SECRET_KEY", "fallback")).isEqualTo("fallback");
    }
  }

  @Test
  void aRequiredKeyThatVanishesInProductionIsNotReplacedByADefault() {
    vault.put("DATABASE_URL", "present");
    f.settings.put("SECRETS_PROFILE", "production");
    try (SecretResolver r = f.builder().backend(vault, 300).require("DATABASE_URL").build()) {
      vault.remove("DATABASE_URL");
      r.admin().refresh("DATABASE_URL");
      assertThatThrownBy(() -> r.resolve("DATABASE_URL", "postgres://localhost/dev"))
          .hasMessageContaining("DATABASE_URL");
    }
  }

  @Test
  void httpEndpointsAreRefusedInAStrictProfile() {
    f.settings.put("SECRETS_PROFILE", "production");
    f.settings.put("VAULT_ADDR", "http://vault.internal:8200");
    assertThatThrownBy(() -> f.builder().provider(new HttpsCheckingProvider()).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("Vault address must use HTTPS in production")
        .hasMessageContaining("VAULT_ADDR");
    f.settings.put("SECRETS_PROFILE", "development");
    try (SecretResolver r = f.builder().provider(new HttpsCheckingProvider()).build()) {
      assertThat(r.inspect().describe().backends()).extracting(b -> b.id()).contains("https-check");
    }
  }

  @Test
  void settingErrorsNameTheSettingAndWhatWasExpected() {
    f.settings.put("SECRETS_CACHE_REFRESH", "every now and then");
    assertThatThrownBy(() -> SecretResolver.builder().config(org.nexusreussite.secrets.SecretsConfig.of(f.settings))
        .scheduler(f.scheduler).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_CACHE_REFRESH");
    f.settings.clear();
    f.settings.put("SECRETS_REQUIRED", "GOOD,not valid");
    assertThatThrownBy(() -> f.builder().build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_REQUIRED");
    f.settings.clear();
    f.settings.put("SECRETS_CACHE_MAX_STALE", "-5m");
    assertThatThrownBy(() -> SecretResolver.builder().config(org.nexusreussite.secrets.SecretsConfig.of(f.settings))
        .scheduler(f.scheduler).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_CACHE_MAX_STALE");
  }

  @Test
  void aSchemaFileMakesItsKeysRequiredExceptThoseMarkedOptional(@TempDir Path dir) throws Exception {
    Path schema = dir.resolve(".env.example");
    Files.writeString(schema, "# comment\nexport SECRET_KEY=change-me\nDATABASE_URL=postgres://\n"
        + "SENTRY_DSN= # optional\n");
    f.settings.put("SECRETS_SCHEMA", schema.toString());
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(r.inspect().describe().required()).containsExactly("SECRET_KEY", "DATABASE_URL");
    }
    f.settings.put("SECRETS_SCHEMA", dir.resolve("absent").toString());
    assertThatThrownBy(() -> f.builder().build()).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_SCHEMA");
  }

  @Test
  void aSettingForABackendWhoseJarIsAbsentFailsInStrictAndWarnsOtherwise() {
    f.settings.put("VAULT_ADDR", "https://vault.internal:8200");
    f.settings.put("SECRETS_PROFILE", "production");
    assertThatThrownBy(() -> f.builder().discover().build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("VAULT_ADDR is set but secrets-backend-vault is not on the classpath")
        .hasMessageContaining("org.nexusreussite.secrets:secrets-backend-vault");
    f.settings.put("SECRETS_PROFILE", "development");
    try (SecretResolver r = f.builder().discover().build()) {
      assertThat(r.inspect().describe().warnings()).anyMatch(w -> w.contains("secrets-backend-vault"));
    }
  }

  /** A provider that refuses plain-HTTP endpoints in strict profiles, as the Vault backend does. */
  static final class HttpsCheckingProvider implements SecretBackendProvider {
    @Override
    public String id() {
      return "https-check";
    }

    @Override
    public int defaultOrdinal() {
      return 300;
    }

    @Override
    public Activation activation(BackendContext context) {
      return Activation.active("VAULT_ADDR is set");
    }

    @Override
    public SecretBackend create(BackendContext context) {
      context.requireHttpsInStrictProfile("VAULT_ADDR", context.config().get("VAULT_ADDR").orElseThrow(), "Vault");
      return new InMemorySecretBackend("https-check", Set.of(), context.clock());
    }
  }
}
