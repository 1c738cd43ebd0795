package org.nexusreussite.secrets.azure;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import reactor.core.publisher.Mono;

class AzureBackendProviderTest {
  private final AzureBackendProvider provider = new AzureBackendProvider();

  @Test
  void isInactiveWithTheSettingToSetWhenNoVaultUrlIsGiven() {
    Activation activation = provider.activation(TestBackendContext.of(AzureSecretBackend.ID, Map.of()));
    assertThat(activation.active()).isFalse();
    assertThat(activation.reason()).isEqualTo("AZURE_KEYVAULT_URL is not set");
  }

  @Test
  void isActiveWhenTheVaultUrlIsSet() {
    Activation activation = provider.activation(
        TestBackendContext.of(AzureSecretBackend.ID, Map.of("AZURE_KEYVAULT_URL", "https://my-vault.vault.azure.net")));
    assertThat(activation.active()).isTrue();
    assertThat(activation.reason()).contains("AZURE_KEYVAULT_URL");
  }

  @Test
  void isActiveWithTheSdkAlias() {
    Activation activation = provider.activation(
        TestBackendContext.of(AzureSecretBackend.ID, Map.of("SECRETS_AZURE_VAULT_URL", "https://my-vault.vault.azure.net")));
    assertThat(activation.active()).isTrue();
    assertThat(activation.reason()).contains("SECRETS_AZURE_VAULT_URL");
  }

  @Test
  void refusesAPlainHttpUrlNamingTheSettingEvenInDevelopment() {
    TestBackendContext context = TestBackendContext.of(AzureSecretBackend.ID, Map.of("AZURE_KEYVAULT_URL", "http://my-vault.vault.azure.net"));
    assertThatThrownBy(() -> provider.create(context))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("AZURE_KEYVAULT_URL")
        .hasMessageContaining("https://");
  }

  @Test
  void namesTheAliasWhenTheAliasIsWrong() {
    TestBackendContext context = TestBackendContext.of(AzureSecretBackend.ID, Map.of("SECRETS_AZURE_VAULT_URL", "http://vault.local"));
    assertThatThrownBy(() -> provider.create(context))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_AZURE_VAULT_URL");
  }

  @Test
  void refusesAUrlWithAPath() {
    TestBackendContext context = TestBackendContext.of(AzureSecretBackend.ID, Map.of("AZURE_KEYVAULT_URL", "https://my-vault.vault.azure.net/secrets/x"));
    assertThatThrownBy(() -> provider.create(context))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("AZURE_KEYVAULT_URL");
  }

  @Test
  void refusesAPrefixKeyVaultCannotHoldNamingTheSetting() {
    TestBackendContext context = TestBackendContext.of(AzureSecretBackend.ID, Map.of("AZURE_KEYVAULT_URL", "https://my-vault.vault.azure.net",
        "SECRETS_AZURE_PREFIX", "my.app"));
    assertThatThrownBy(() -> provider.create(context))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_AZURE_PREFIX");
  }

  @Test
  void refusesANonsenseRetryCountNamingTheSetting() {
    TestBackendContext context = TestBackendContext.of(AzureSecretBackend.ID, Map.of("AZURE_KEYVAULT_URL", "https://my-vault.vault.azure.net",
        "SECRETS_AZURE_MAX_RETRIES", "50"));
    assertThatThrownBy(() -> provider.create(context))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_AZURE_MAX_RETRIES");
  }

  @Test
  void buildsABackendFromSettingsWithTheMappedPrefixAndACredentialFromCode() {
    AzureBackendProvider withCredential = AzureBackendProvider.withCredential(
        request -> Mono.just(new AccessToken("t", OffsetDateTime.now().plusHours(1))));
    TestBackendContext context = TestBackendContext.of(AzureSecretBackend.ID, Map.of("AZURE_KEYVAULT_URL", "https://my-vault.vault.azure.net/",
        "SECRETS_AZURE_PREFIX", "myapp_", "SECRETS_AZURE_TIMEOUT", "3s"));
    AzureSecretBackend backend = (AzureSecretBackend) withCredential.create(context);
    assertThat(backend.options().vaultUrl()).hasToString("https://my-vault.vault.azure.net");
    assertThat(backend.options().prefix()).isEqualTo("myapp-");
    assertThat(backend.options().credential()).isPresent();
    assertThat(backend.options().timeout()).hasSeconds(3);
    assertThat(backend.describe()).isEqualTo("azure[https://my-vault.vault.azure.net, prefix myapp-]");
  }

  @Test
  void isRegisteredForServiceLoaderWithItsIdAndOrdinal() {
    assertThat(ServiceLoader.load(SecretBackendProvider.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(p -> {
          assertThat(p).isInstanceOf(AzureBackendProvider.class);
          assertThat(p.id()).isEqualTo("azure");
          assertThat(p.defaultOrdinal()).isEqualTo(300);
        });
  }
}
