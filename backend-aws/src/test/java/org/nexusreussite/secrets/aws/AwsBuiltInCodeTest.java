package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;

/** The AWS backend built in code with public API only: its provider and {@link BackendContext#builder}. */
class AwsBuiltInCodeTest {

  @Test
  void isBuiltInCodeWithThePublicContextBuilder() {
    BackendContext context = BackendContext.builder(AwsSecretBackend.ID)
        .config(SecretsConfig.of(Map.of(AwsBackendProvider.SECRET_ID, "prod/app", "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", AwsBackendProvider.WARMUP, "false")))
        .build();

    try (SecretBackend backend = new AwsBackendProvider().create(context)) {
      assertThat(backend.id()).isEqualTo("aws");
      assertThat(backend.describe()).contains("prod/app");
      assertThat(backend.versionScope()).as("a JSON secret's version covers all its keys")
          .isEqualTo(VersionScope.SOURCE);
    }
  }

  @Test
  void inThePerKeyLayoutEachKeyHasItsOwnVersions() {
    BackendContext context = BackendContext.builder(AwsSecretBackend.ID)
        .config(SecretsConfig.of(Map.of(AwsBackendProvider.PREFIX, "prod/app/", "AWS_REGION", "eu-west-1",
            "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", AwsBackendProvider.WARMUP, "false")))
        .build();

    try (SecretBackend backend = new AwsBackendProvider().create(context)) {
      assertThat(backend.versionScope()).isEqualTo(VersionScope.KEY);
    }
  }
}
