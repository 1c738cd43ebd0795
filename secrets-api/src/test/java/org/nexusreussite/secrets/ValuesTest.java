package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void aSecretValueNeverPrintsItself() {
    SecretValue value = SecretValue.of("hunter2");
    assertThat(value.toString()).isEqualTo("[REDACTED]");
    assertThat(value.reveal()).isEqualTo("hunter2");
    assertThat(value).isEqualTo(SecretValue.of("hunter2")).isNotEqualTo(SecretValue.of("hunter3"));
    Secret secret = Secret.of("DB_PASSWORD", value, SecretVersion.of("3"), "vault", Instant.EPOCH);
    assertThat(secret.toString()).doesNotContain("hunter2").contains("DB_PASSWORD");
  }

  @Test
  void aFingerprintIsShortStableAndNotTheValue() {
    String fingerprint = SecretValue.of("hunter2").fingerprint();
    assertThat(fingerprint).matches("(local|hmac-[0-9a-f]{4}):[0-9a-f]{12}")
        .isEqualTo(SecretValue.of("hunter2").fingerprint())
        .isNotEqualTo(SecretValue.of("hunter3").fingerprint());
    assertThat(SecretVersion.ofContent(SecretValue.of("hunter2")).id()).doesNotContain("hunter2");
  }

  @Test
  void keysAreValidatedWithoutEchoingAnInvalidKey() {
    assertThat(Keys.isValid("DATABASE_URL")).isTrue();
    assertThat(Keys.isValid("app.db-url")).isTrue();
    assertThat(Keys.isValid("1ABC")).isFalse();
    assertThat(Keys.isValid("A B")).isFalse();
    assertThat(Keys.isValid("")).isFalse();
    assertThat(Keys.isValid(null)).isFalse();
    assertThatThrownBy(() -> Keys.requireValid("password=hunter2 oops"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void versionSelectorsParseTheirShortForms() {
    assertThat(VersionSelector.parse("latest")).isEqualTo(VersionSelector.latest());
    assertThat(VersionSelector.parse("previous")).isEqualTo(VersionSelector.previous());
    assertThat(VersionSelector.parse("stage:AWSPREVIOUS")).isEqualTo(VersionSelector.stage("AWSPREVIOUS"));
    assertThat(VersionSelector.parse("7")).isEqualTo(VersionSelector.id("7"));
    assertThat(VersionSelector.stage("AWSPENDING").describe()).isEqualTo("stage:AWSPENDING");
    assertThat(VersionSelector.id("7").describe()).isEqualTo("7");
  }

  @Test
  void aValidationReportListsEveryMissingKeyWithReasonsAndHints() {
    ValidationReport report = new ValidationReport(Profile.production(), List.of("A", "B", "C"),
        List.of("vault[secret/app]", "env"), List.of(
            new ValidationReport.Problem("A", Map.of("vault", "not found", "env", "not found")),
            new ValidationReport.Problem("C", Map.of("vault", "denied: permission denied"))));
    assertThat(report.valid()).isFalse();
    assertThat(report.missingKeys()).containsExactly("A", "C");
    assertThat(report.summary())
        .isEqualTo("Missing required secrets in production: A, C (searched: vault[secret/app], env)");
    assertThat(report.toString()).contains("denied: permission denied");
    assertThatThrownBy(report::throwIfInvalid).isInstanceOf(MissingSecretsException.class)
        .hasMessageStartingWith("Missing required secrets in production: A, C");
  }

  @Test
  void anInvalidSourceNamesFileAndLineOnly() {
    InvalidSecretSourceException e = new InvalidSecretSourceException("dotenv", "/app/.env", 12,
        "unterminated double quote");
    assertThat(e.getMessage()).contains("/app/.env:12: unterminated double quote");
  }
}
