package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsConfigTest {

  @Test
  void aSettingIsFoundUnderItsVariableOrPropertyName() {
    SecretsConfig config = SecretsConfig.of(Map.of("SECRETS_CACHE_REFRESH", "30s", "secrets.vault.path", "kv/app"));
    assertThat(config.get("SECRETS_CACHE_REFRESH")).contains("30s");
    assertThat(config.get("secrets.cache.refresh")).contains("30s");
    assertThat(config.get("SECRETS_VAULT_PATH")).contains("kv/app");
    assertThat(SecretsConfig.toVariableName("secrets.vault.path")).isEqualTo("SECRETS_VAULT_PATH");
    assertThat(SecretsConfig.toPropertyName("SECRETS_VAULT_PATH")).isEqualTo("secrets.vault.path");
  }

  @Test
  void aSettingGivenInCodeWinsAndBlankMeansUnset() {
    SecretsConfig config = SecretsConfig.of(Map.of("VAULT_ADDR", "https://a", "VAULT_PATH", "  "))
        .with("VAULT_ADDR", "https://b");
    assertThat(config.get("VAULT_ADDR")).contains("https://b");
    assertThat(config.isSet("VAULT_PATH")).isFalse();
    assertThat(config.get("VAULT_PATH", "secret/nexus-reussite")).isEqualTo("secret/nexus-reussite");
    assertThat(config.firstOf("AZURE_KEYVAULT_URL", "VAULT_ADDR")).contains("https://b");
  }

  @Test
  void typedSettingsParseOrNameTheSettingAndTheExpectation() {
    SecretsConfig config = SecretsConfig.of(Map.of("A_DURATION", "5m", "ISO", "PT1H", "BAD_DURATION", "soon",
        "RETRIES", "3", "BAD_RETRIES", "three", "FLAG", "yes", "BAD_FLAG", "maybe", "LIST", "a, b,,c "));
    assertThat(config.duration("A_DURATION", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.duration("ISO", Duration.ZERO)).isEqualTo(Duration.ofHours(1));
    assertThat(config.duration("UNSET", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.integer("RETRIES", 0)).isEqualTo(3);
    assertThat(config.bool("FLAG", false)).isTrue();
    assertThat(config.list("LIST")).containsExactly("a", "b", "c");
    assertThatThrownBy(() -> config.duration("BAD_DURATION", Duration.ZERO))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("BAD_DURATION").hasMessageContaining("30s, 5m, 1h");
    assertThatThrownBy(() -> config.integer("BAD_RETRIES", 0))
        .hasMessageContaining("BAD_RETRIES").hasMessageContaining("integer");
    assertThatThrownBy(() -> config.bool("BAD_FLAG", false))
        .hasMessageContaining("BAD_FLAG").hasMessageContaining("true or false");
  }

  @Test
  void toStringNamesNoValue() {
    assertThat(SecretsConfig.of(Map.of("VAULT_TOKEN", "s.secret-token")).toString()).doesNotContain("s.secret");
  }

  @Test
  void theProfileComesFromSecretsProfileThenAppEnvAndStrictnessFromItsList() {
    assertThat(Profile.from(SecretsConfig.empty())).isEqualTo(new Profile("development", false));
    assertThat(Profile.from(SecretsConfig.of(Map.of("APP_ENV", "Production"))).strict()).isTrue();
    assertThat(Profile.from(SecretsConfig.of(Map.of("APP_ENV", "production", "SECRETS_PROFILE", "testing"))))
        .isEqualTo(new Profile("testing", false));
    assertThat(Profile.from(SecretsConfig.of(Map.of("SECRETS_PROFILE", "qa", "SECRETS_STRICT_PROFILES", "qa,prod")))
        .strict()).isTrue();
    assertThat(Profile.from(SecretsConfig.of(Map.of("SECRETS_PROFILE", "staging"))).strict()).isTrue();
  }

  @Test
  void settingsGivenInCodeAreNotServedAsEnvSecrets() {
    SecretsConfig config = SecretsConfig.of(java.util.Map.of("SECRETS_DOTENV_DIR", "/tmp/app"),
        java.util.Map.of("DATABASE_URL", "postgres://db"));
    assertThat(config.get("SECRETS_DOTENV_DIR")).contains("/tmp/app");
    assertThat(config.get("DATABASE_URL")).as("an environment variable is a setting too").contains("postgres://db");
    try (SecretResolver r = SecretResolver.builder().config(config).discover().build()) {
      assertThat(r.inspect().listKeys().get("env")).containsExactly("DATABASE_URL");
      assertThat(r.find("SECRETS_DOTENV_DIR")).isEmpty();
      assertThat(r.resolve("DATABASE_URL")).isEqualTo("postgres://db");
    }
  }
}
