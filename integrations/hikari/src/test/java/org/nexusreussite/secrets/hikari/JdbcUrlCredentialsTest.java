package org.nexusreussite.secrets.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.hikari.HikariCredentialRotation.PoolCredentials;

class JdbcUrlCredentialsTest {
  private static final String CANARY = "canary-Zq9%w";

  @Test
  void aPostgresUriIsSplitIntoAJdbcUrlAndItsCredentials() {
    PoolCredentials c = JdbcUrlCredentials.parse("DATABASE_URL", "postgres://app:s3cr%2Ft+x@db:5432/app?sslmode=require");

    assertThat(c.user()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("s3cr/t+x");
    assertThat(c.location()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require");
  }

  @Test
  void userAndPasswordParametersAreTakenOutOfAJdbcUrl() {
    PoolCredentials c = JdbcUrlCredentials.parse("DATABASE_URL",
        "jdbc:postgresql://db/app?user=app&sslmode=require&password=a%26b");

    assertThat(c.user()).isEqualTo("app");
    assertThat(c.password()).isEqualTo("a&b");
    assertThat(c.location()).isEqualTo("jdbc:postgresql://db/app?sslmode=require");
  }

  @Test
  void anotherSchemeGetsTheJdbcPrefix() {
    PoolCredentials c = JdbcUrlCredentials.parse("DATABASE_URL", "mysql://root:pw@db:3306/app");

    assertThat(c.location()).isEqualTo("jdbc:mysql://db:3306/app");
  }

  @Test
  void aUrlWithoutAPasswordIsRefusedNamingTheKeyOnly() {
    assertThatThrownBy(() -> JdbcUrlCredentials.parse("DATABASE_URL", "postgres://" + CANARY + "@db/app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageNotContaining(CANARY)
        .hasMessageNotContaining("db/app");
  }

  @Test
  void aMalformedEscapeIsRefusedWithoutQuotingTheUrl() {
    assertThatThrownBy(() -> JdbcUrlCredentials.parse("DATABASE_URL", "postgres://app:" + CANARY + "@db/app"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed %-escape")
        .hasMessageNotContaining(CANARY)
        .hasNoCause();
  }

  @Test
  void credentialsNeverPrintTheirValues() {
    PoolCredentials c = JdbcUrlCredentials.parse("DATABASE_URL", "postgres://app:" + "pw-canary" + "@db/app");

    assertThat(c.toString()).doesNotContain("pw-canary").doesNotContain("app");
  }
}
