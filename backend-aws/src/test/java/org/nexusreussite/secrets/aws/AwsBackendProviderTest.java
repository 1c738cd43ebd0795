package org.nexusreussite.secrets.aws;

import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

class AwsBackendProviderTest {
  private final AwsBackendProvider provider = new AwsBackendProvider();

  private static SecretsConfig config(String... pairs) {
    Map<String, String> map = new HashMap<>(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing", "SECRETS_AWS_WARMUP", "false"));
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return SecretsConfig.of(map);
  }

  @Test
  void isRegisteredForServiceLoaderWithIdAndOrdinal() {
    assertThat(ServiceLoader.load(SecretBackendProvider.class).stream().map(ServiceLoader.Provider::type))
        .contains(AwsBackendProvider.class);
    assertThat(provider.id()).isEqualTo("aws");
    assertThat(provider.defaultOrdinal()).isEqualTo(300);
  }

  @Test
  void isInactiveWithTheReasonWhenNeitherLayoutIsSet() {
    Activation activation = provider.activation(TestBackendContext.of(AwsSecretBackend.ID, SecretsConfig.empty()));
    assertThat(activation.active()).isFalse();
    assertThat(activation.reason()).isEqualTo("SECRETS_AWS_SECRET_ID and SECRETS_AWS_PREFIX are not set");
  }

  @Test
  void isActiveForEitherLayoutAndSaysWhich() {
    assertThat(provider.activation(TestBackendContext.of(AwsSecretBackend.ID, config("SECRETS_AWS_SECRET_ID", "app"))).reason())
        .isEqualTo("SECRETS_AWS_SECRET_ID=app");
    assertThat(provider.activation(TestBackendContext.of(AwsSecretBackend.ID, SecretsConfig.of(Map.of("secrets.aws.prefix", "app/"))))
        .reason()).isEqualTo("SECRETS_AWS_PREFIX=app/");
  }

  @Test
  void buildsABackendWithVersionsListingAndRollbackWithoutCallingAws() {
    try (SecretBackend backend = provider.create(TestBackendContext.of(AwsSecretBackend.ID, config("SECRETS_AWS_SECRET_ID", "a, b",
        "SECRETS_AWS_PREFIX", "app/")))) {
      assertThat(backend.id()).isEqualTo("aws");
      assertThat(backend.capabilities()).containsExactlyInAnyOrder(Capability.VERSIONS, Capability.LISTING,
          Capability.ROLLBACK, Capability.WRITE);
      assertThat(backend.describe()).isEqualTo("aws[a, b, prefix app/]");
      assertThat(backend.toString()).contains("region eu-west-1");
    }
  }

  @Test
  void anHttpEndpointIsRefusedInAStrictProfile() {
    assertThatThrownBy(() -> provider.create(TestBackendContext.of(AwsSecretBackend.ID, config("SECRETS_AWS_PREFIX", "app/",
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://localhost:4566")).withProfile(Profile.production())))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("must use HTTPS in production")
        .hasMessageContaining("AWS_ENDPOINT_URL_SECRETS_MANAGER");
  }

  @Test
  void aMalformedEndpointNamesTheSetting() {
    assertThatThrownBy(() -> provider.create(TestBackendContext.of(AwsSecretBackend.ID, config("SECRETS_AWS_PREFIX", "app/",
        "AWS_ENDPOINT_URL", "localhost:4566"))))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("AWS_ENDPOINT_URL");
  }

  @Test
  void halfSetStaticCredentialsAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> provider.create(TestBackendContext.of(AwsSecretBackend.ID, SecretsConfig.of(Map.of("AWS_REGION", "eu-west-1",
        "SECRETS_AWS_PREFIX", "app/", "AWS_ACCESS_KEY_ID", "AKIACANARY")))))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("AWS_SECRET_ACCESS_KEY is not")
        .hasMessageNotContaining("AKIACANARY");
  }

  @Test
  void badRetrySettingsNameTheSetting() {
    assertThatThrownBy(() -> provider.create(TestBackendContext.of(AwsSecretBackend.ID, config("SECRETS_AWS_PREFIX", "app/",
        "SECRETS_AWS_MAX_ATTEMPTS", "0"))))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_AWS_MAX_ATTEMPTS");
  }
}
