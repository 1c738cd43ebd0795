package org.nexusreussite.secrets.aws;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;

/**
 * The SPI contract against a real moto server, keys as fields of one JSON secret
 * ({@code SECRETS_AWS_SECRET_ID}); each store writes a new version of the whole secret.
 */
class AwsJsonLayoutContractIT extends SecretBackendContractTest {
  private static final String SECRET = "contract-json-" + UUID.randomUUID();
  private static MotoSecrets moto;

  @BeforeAll
  static void startMoto() {
    moto = new MotoSecrets(MotoServer.shared());
  }

  @AfterAll
  static void closeClient() {
    moto.close();
  }

  @Override
  protected SecretBackend createBackend() {
    return new AwsBackendProvider().create(TestBackendContext.of(AwsSecretBackend.ID, moto.config("SECRETS_AWS_SECRET_ID", SECRET)));
  }

  @Override
  protected void store(String key, String value) {
    moto.setField(SECRET, key, value);
  }

  @Override
  protected String absentVersionId() {
    return UUID.randomUUID().toString();
  }
}
