package org.nexusreussite.secrets.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;

class KeyVaultNamesTest {
  private final KeyVaultNames names = new KeyVaultNames("https://v.vault.azure.net", "");

  @Test
  void underscoresBecomeDashes() {
    assertThat(names.toName("DATABASE_URL")).isEqualTo("DATABASE-URL");
  }

  @Test
  void thePrefixGoesFirst() {
    KeyVaultNames prefixed = new KeyVaultNames("https://v", KeyVaultNames.mapPrefix("SECRETS_AZURE_PREFIX", "myapp_"));
    assertThat(prefixed.toName("JWT_SECRET")).isEqualTo("myapp-JWT-SECRET");
  }

  @Test
  void aDotCannotBeMappedAndTheErrorNamesTheKey() {
    assertThatThrownBy(() -> names.toName("spring.datasource.url"))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'spring.datasource.url'")
        .hasMessageContaining("'.'");
  }

  @Test
  void twoKeysOnOneNameAreRefusedNamingBoth() {
    names.toName("A_B");
    assertThatThrownBy(() -> names.toName("A-B"))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'A_B'").hasMessageContaining("'A-B'").hasMessageContaining("'A-B'");
  }

  @Test
  void keysDifferingOnlyInCaseCollideBecauseNamesAreCaseInsensitive() {
    names.toName("db_url");
    assertThatThrownBy(() -> names.toName("DB_URL")).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("case-insensitive");
  }

  @Test
  void theSameKeyAskedTwiceIsFine() {
    assertThat(names.toName("X_Y")).isEqualTo(names.toName("X_Y"));
  }

  @Test
  void aNameLongerThanKeyVaultAllowsIsRefused() {
    assertThatThrownBy(() -> names.toName("K".repeat(128)))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("127");
  }

  @Test
  void listedNamesMapBackWithThePrefixStrippedCaseInsensitively() {
    KeyVaultNames prefixed = new KeyVaultNames("https://v", "myapp-");
    assertThat(prefixed.toKey("MYAPP-DATABASE-URL")).contains("DATABASE_URL");
    assertThat(prefixed.toKey("other-DATABASE-URL")).isEmpty();
    assertThat(prefixed.toKey("myapp-9LIVES")).isEmpty();
  }
}
