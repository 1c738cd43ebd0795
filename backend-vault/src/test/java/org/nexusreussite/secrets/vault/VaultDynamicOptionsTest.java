package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;

class VaultDynamicOptionsTest {
  @Test
  void twoBareKeysAreTheUsernameAndThePassword() {
    VaultDynamicOptions o = VaultDynamicOptions.of("DB_USER,DB_PASSWORD@database/creds/app", Duration.ofMinutes(1),
        Duration.ofSeconds(30));

    assertThat(o.sources()).hasSize(1);
    assertThat(o.sources().get(0).path()).isEqualTo("database/creds/app");
    assertThat(o.sources().get(0).fields()).containsExactly(Map.entry("DB_USER", "username"),
        Map.entry("DB_PASSWORD", "password"));
  }

  @Test
  void fieldsCanBeNamedAndSourcesSeparatedBySemicolons() {
    VaultDynamicOptions o = VaultDynamicOptions.of(" A_USER , A_PASS @db/creds/a ; TOKEN=secret_id@auth/x/creds ",
        Duration.ofMinutes(1), Duration.ZERO);

    assertThat(o.sources()).hasSize(2);
    assertThat(o.sources().get(1).fields()).containsExactly(Map.entry("TOKEN", "secret_id"));
  }

  @Test
  void settingsAreReadWithTheirDefaults() {
    VaultDynamicOptions o = VaultDynamicOptions.fromConfig(SecretsConfig.of(Map.of(
        "SECRETS_VAULT_DYNAMIC", "U,P@db/creds/a", "SECRETS_VAULT_DYNAMIC_GRACE", "5s")));

    assertThat(o.margin()).isEqualTo(VaultDynamicOptions.DEFAULT_MARGIN);
    assertThat(o.grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(VaultDynamicOptions.fromConfig(SecretsConfig.empty()).sources()).isEmpty();
  }

  @Test
  void malformedSettingsNameTheSettingAndThePlace() {
    for (String bad : new String[] {"U,P", "U,P@", "U,P,X@db/creds/a", "U@/abs/path", "U,U@db/creds/a",
        "U,P@db/creds/a;U@db/creds/b", "not a key@db/creds/a"}) {
      assertThatThrownBy(() -> VaultDynamicOptions.fromConfig(SecretsConfig.of(Map.of("SECRETS_VAULT_DYNAMIC", bad))))
          .as(bad)
          .isInstanceOf(BackendConfigurationException.class)
          .hasMessageContaining("SECRETS_VAULT_DYNAMIC");
    }
  }

  @Test
  void aZeroMarginIsRefused() {
    assertThatThrownBy(() -> VaultDynamicOptions.of("U,P@db/creds/a", Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("margin");
  }
}
