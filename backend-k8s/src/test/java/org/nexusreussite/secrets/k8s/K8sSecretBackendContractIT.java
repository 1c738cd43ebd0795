package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;

/** The SPI contract against fabric8's Kubernetes mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class K8sSecretBackendContractIT extends SecretBackendContractTest {
  static KubernetesClient client;

  /** The tests share the extension's client through {@code withClient}: they own it, so they close it. */
  @AfterAll
  static void closeTheSharedClient() {
    client.close();
  }

  @Override
  protected SecretBackend createBackend() {
    return K8sBackendProvider.withClient(client).create(TestBackendContext.of(K8sSecretBackend.ID,
        Map.of(K8sBackendProvider.SECRET, "contract-first,contract-app", K8sBackendProvider.NAMESPACE,
            SecretObjects.NAMESPACE)));
  }

  @Override
  protected void store(String key, String value) {
    SecretObjects.put(client, "contract-app", key, value);
  }
}
