package org.nexusreussite.secrets.aws;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;

/** The SPI contract against a real moto server, one secret per key ({@code SECRETS_AWS_PREFIX}). */
class AwsPrefixLayoutContractIT extends SecretBackendContractTest {
  private static final String PREFIX = "contract-" + UUID.randomUUID() + "/";
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
    return new AwsBackendProvider().create(TestBackendContext.of(AwsSecretBackend.ID, moto.config("SECRETS_AWS_PREFIX", PREFIX)));
  }

  @Override
  protected void store(String key, String value) {
    moto.put(PREFIX + key, value);
  }

  @Override
  protected String absentVersionId() {
    return UUID.randomUUID().toString();
  }
}
