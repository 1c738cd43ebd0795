package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** The property source and the import's options, without a Spring context. */
class SecretsPropertySourceTest {
  private final InMemorySecretBackend store = new InMemorySecretBackend("memory");
  private final SecretResolver resolver = SecretResolver.builder().backend(store, 300).build();
  private final SecretsPropertySource source = SecretsPropertySource.of(resolver);

  @Test
  void servesASecretByItsExactName() {
    store.put("API_KEY", "k-1");
    assertThat(source.getProperty("API_KEY")).isEqualTo("k-1");
    assertThat(source.getProperty("api.key")).isNull();
  }

  @Test
  void aRotationIsServedAtTheNextRead() {
    store.put("API_KEY", "k-1");
    assertThat(source.getProperty("API_KEY")).isEqualTo("k-1");
    store.put("API_KEY", "k-2");
    resolver.admin().refresh("API_KEY");
    assertThat(source.getProperty("API_KEY")).isEqualTo("k-2");
  }

  @Test
  void neverAsksTheStoreForFrameworkNamesSdkSettingsOrInvalidKeys() {
    for (String name : new String[] {"spring.main.banner-mode", "server.port", "management.endpoints.web.base-path",
        "logging.level.root", "SECRETS_PROFILE", "nexus.secrets.required", "VCAP_SERVICES", "DYNO", "debug",
        "trace",
        "not a key", "list[0]"}) {
      assertThat(source.getProperty(name)).as(name).isNull();
    }
    assertThat(store.fetchCount()).isZero();
  }

  @Test
  void secretsWhoseNamesStartLikeASkippedSwitchAreStillServed() {
    store.put("TRACE_COLLECTOR_TOKEN", "t-1");
    store.put("DEBUG_API_KEY", "d-1");
    store.put("DYNO_TOKEN", "y-1");
    assertThat(source.getProperty("TRACE_COLLECTOR_TOKEN")).isEqualTo("t-1");
    assertThat(source.getProperty("DEBUG_API_KEY")).isEqualTo("d-1");
    assertThat(source.getProperty("DYNO_TOKEN")).isEqualTo("y-1");
  }

  @Test
  void aFailingStoreIsAnErrorNotAnAbsentProperty() {
    store.failAlways(() -> new IllegalStateException("down"));
    assertThatThrownBy(() -> source.getProperty("API_KEY")).isInstanceOf(BackendException.class)
        .hasMessageContaining("memory");
  }

  @Test
  void theToStringNamesTheSourceOnly() {
    store.put("API_KEY", "k-1");
    source.getProperty("API_KEY");
    assertThat(source.toString()).isEqualTo("SecretsPropertySource[nexus-secrets]");
  }

  @Test
  void importOptionsAcceptRequiredKeysOnly() {
    assertThat(SecretsConfigDataLocationResolver.options("")).isEmpty();
    assertThat(SecretsConfigDataLocationResolver.options("required=A_KEY+B.KEY")).containsExactly("A_KEY", "B.KEY");
    assertThatThrownBy(() -> SecretsConfigDataLocationResolver.options("ordinal=3"))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("Unknown option 'ordinal'")
        .hasMessageNotContaining("3");
    assertThatThrownBy(() -> SecretsConfigDataLocationResolver.options("required=1BAD"))
        .isInstanceOf(BackendConfigurationException.class).hasMessageNotContaining("1BAD");
  }
}
