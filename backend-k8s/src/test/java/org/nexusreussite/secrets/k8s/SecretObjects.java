package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Writes Secret objects through the API, as {@code kubectl} would. */
final class SecretObjects {
  static final String NAMESPACE = "test";

  private SecretObjects() {}

  static String b64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Creates the Secret or sets one data key in it. */
  static void put(KubernetesClient client, String secret, String key, String value) {
    Secret existing = client.secrets().inNamespace(NAMESPACE).withName(secret).get();
    if (existing == null) {
      client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(secret)
          .withNamespace(NAMESPACE).endMetadata().withData(Map.of(key, b64(value))).build()).create();
      return;
    }
    Map<String, String> data = new HashMap<>(existing.getData() == null ? Map.of() : existing.getData());
    data.put(key, b64(value));
    existing.setData(data);
    client.secrets().inNamespace(NAMESPACE).resource(existing).update();
  }
}
