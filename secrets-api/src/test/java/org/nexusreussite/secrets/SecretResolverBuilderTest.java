package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder reports every bad value one way, naming the setting, and refuses a second call to a setter. */
class SecretResolverBuilderTest {

  @Test
  void badValuesAreOneExceptionTypeNamingTheSetting() {
    assertThatThrownBy(() -> SecretResolver.builder().maxStale(Duration.ofSeconds(-1)))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("maxStale");
    assertThatThrownBy(() -> SecretResolver.builder().refreshInterval(Duration.ZERO))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("refreshInterval");
    assertThatThrownBy(() -> SecretResolver.builder().maximumSize(0))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("maximumSize");
    assertThatThrownBy(() -> SecretResolver.builder().profile(" "))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("profile");
    assertThatThrownBy(() -> SecretResolver.builder().require("not a key"))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("require");
  }

  @Test
  void nullIsABadValueLikeAnyOther() {
    assertThatThrownBy(() -> SecretResolver.builder().clock(nullValue()))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("clock");
    assertThatThrownBy(() -> SecretResolver.builder().negativeTtl(nullValue()))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("negativeTtl");
  }

  @Test
  void aSecondCallToAOneValueSetterIsRefused() {
    SecretResolverBuilder builder = SecretResolver.builder().maxStale(Duration.ofMinutes(10));
    assertThatThrownBy(() -> builder.maxStale(Duration.ofMinutes(20)))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("maxStale")
        .hasMessageContaining("already set");
    SecretResolverBuilder discovering = SecretResolver.builder().discover();
    assertThatThrownBy(discovering::discover).isInstanceOf(BackendConfigurationException.class);
  }

  @Test
  void aBadSettingFromConfigurationNamesTheVariable() {
    assertThatThrownBy(() -> SecretResolver.builder()
        .config(SecretsConfig.of(java.util.Map.of("SECRETS_CACHE_MAX_STALE", "-5m"))).build())
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("SECRETS_CACHE_MAX_STALE");
  }

  @SuppressWarnings("TypeParameterUnusedInFormals")
  private static <T> T nullValue() {
    return null;
  }
}
