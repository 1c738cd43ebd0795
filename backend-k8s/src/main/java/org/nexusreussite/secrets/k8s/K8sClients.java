package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;

/**
 * Builds the API backend: the {@link K8sApi} (over a client given in code, or over an HTTP client built from the
 * in-cluster config or kubeconfig) and the namespace. Kept apart from {@link K8sBackendProvider} so that fabric8 is loaded only when the API mode
 * is actually used.
 */
final class K8sClients {
  // fabric8 retries failed requests 10 times with exponential backoff by default (minutes when the API
  // is down); the resolver has its own retry and stale-serving policy, so a read should fail fast
  private static final int REQUEST_RETRIES = 2;
  /** The SLF4J logger that turns fabric8's HTTP body logging on when it is at TRACE. */
  static final String HTTP_LOGGER = "io.fabric8.kubernetes.client.http.HttpLoggingInterceptor";
  /** The most bytes read from the service-account namespace file. */
  private static final int NAMESPACE_FILE_CAP = 4096;

  private K8sClients() {}

  static K8sSecretBackend create(BackendContext context, @Nullable Object injected, List<String> names,
      boolean trim) {
    SecretsConfig config = context.config();
    Duration timeout = config.duration(K8sBackendProvider.TIMEOUT, K8sBackendProvider.DEFAULT_TIMEOUT);
    if (timeout.isZero() || timeout.isNegative()) {
      throw BackendConfigurationException.setting(K8sBackendProvider.TIMEOUT, "expected a positive duration "
          + "such as 10s");
    }
    int maxBytes = config.integer(K8sBackendProvider.MAX_RESPONSE_BYTES,
        K8sBackendProvider.DEFAULT_MAX_RESPONSE_BYTES);
    if (maxBytes < 1024) {
      throw BackendConfigurationException.setting(K8sBackendProvider.MAX_RESPONSE_BYTES, "expected a number of "
          + "bytes of at least 1024, such as " + K8sBackendProvider.DEFAULT_MAX_RESPONSE_BYTES);
    }
    if (injected != null) {
      KubernetesClient client = (KubernetesClient) injected;
      String namespace = config.get(K8sBackendProvider.NAMESPACE)
          .or(() -> Optional.ofNullable(client.getNamespace()))
          .orElseThrow(K8sBackendProvider::missingNamespace);
      // a client given in code keeps its own HTTP settings; the total deadline still holds for every read
      return new K8sSecretBackend(K8sApi.over(client), namespace, names, trim, context.clock(), context.logger(),
          timeout, null);
    }
    Config clientConfig;
    try {
      clientConfig = Config.autoConfigure(null);
    } catch (KubernetesClientException e) {
      throw new BackendConfigurationException(K8sSecretBackend.ID, "Cannot configure the Kubernetes client from "
          + "the in-cluster service account or the kubeconfig: " + e.getClass().getSimpleName()
          + ". Check KUBECONFIG or run in a pod with a service account.", e);
    }
    context.requireHttpsInStrictProfile("the Kubernetes API URL (in-cluster config or kubeconfig)",
        clientConfig.getMasterUrl(), "Kubernetes API");
    if (context.profile().strict() && clientConfig.isTrustCerts()) {
      throw new BackendConfigurationException(K8sSecretBackend.ID, "Kubernetes API TLS verification is turned "
          + "off (trustCerts / insecure-skip-tls-verify), which is refused in profile '"
          + context.profile().name() + "'. Give the cluster's CA instead.");
    }
    clientConfig.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    clientConfig.setConnectionTimeout(Math.min(millis, 5_000));
    clientConfig.setRequestTimeout(millis);
    String namespace = config.get(K8sBackendProvider.NAMESPACE).or(K8sClients::serviceAccountNamespace)
        .or(() -> Optional.ofNullable(clientConfig.getNamespace()))
        .orElseThrow(K8sBackendProvider::missingNamespace);
    AnswerCap cap = new AnswerCap(maxBytes);
    K8sApi api = K8sApi.create(clientConfig, builder -> builder.addOrReplaceInterceptor("nexus-secrets-answer-cap",
        cap));
    return new K8sSecretBackend(api, namespace, names, trim, context.clock(), context.logger(), timeout, cap);
  }

  private static Optional<String> serviceAccountNamespace() {
    Path file = Path.of(K8sBackendProvider.SERVICE_ACCOUNT_NAMESPACE_FILE);
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    try {
      // a namespace name is at most 63 characters; the cap keeps a wrong mount from filling the heap
      String namespace = new String(BoundedRead.read(file, NAMESPACE_FILE_CAP, null),
          StandardCharsets.UTF_8).strip();
      return namespace.isEmpty() ? Optional.empty() : Optional.of(namespace);
    } catch (BoundedRead.Refused e) {
      throw new BackendConfigurationException(K8sSecretBackend.ID, "Cannot use the service-account namespace "
          + "file " + file + ": " + e.problem()
          + "; set " + K8sBackendProvider.NAMESPACE + " instead");
    } catch (IOException e) {
      throw new BackendConfigurationException(K8sSecretBackend.ID, "Cannot read the service-account namespace "
          + "file " + file + " (" + e.getClass().getSimpleName() + "); set " + K8sBackendProvider.NAMESPACE
          + " instead", e);
    }
  }
}
