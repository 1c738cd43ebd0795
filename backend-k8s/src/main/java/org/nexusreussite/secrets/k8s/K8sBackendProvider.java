package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/**
 * Kubernetes Secret objects through the API (fabric8 kubernetes-client): id {@code k8s}, ordinal
 * {@value #ORDINAL}. Active when {@value #SECRET} names at least one Secret.
 *
 * <p>Settings: {@value #SECRET} (comma list of Secret names, earlier wins), {@value #NAMESPACE}
 * (default: the service-account namespace file, else the kubeconfig context's namespace) and
 * {@code SECRETS_K8S_TRIM_NEWLINE}. The connection comes from the in-cluster service account or the
 * kubeconfig, as fabric8 finds them. The service account needs {@code get}, {@code list} and
 * {@code watch} on {@code secrets} in that namespace.
 *
 * <p>To reuse a client the application already has: {@code SecretResolver.builder().provider(new
 * K8sBackendProvider(client))}; the backend then never closes it. Thread-safe.
 */
public final class K8sBackendProvider implements SecretBackendProvider {
  /** Same level as the other remote stores. */
  public static final int ORDINAL = 300;
  /** Setting: comma list of Secret names. */
  public static final String SECRET = "SECRETS_K8S_SECRET";
  /** Setting: the namespace of the Secrets. */
  public static final String NAMESPACE = "SECRETS_K8S_NAMESPACE";
  /** Where a pod's service account namespace is mounted. */
  public static final String SERVICE_ACCOUNT_NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  // fabric8 retries failed requests 10 times with exponential backoff by default (minutes when the API
  // is down); the resolver has its own retry and stale-serving policy, so a read should fail fast
  private static final int REQUEST_RETRIES = 2;
  private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final KubernetesClient client;

  /** For ServiceLoader: the client is built from the in-cluster config or the kubeconfig. */
  public K8sBackendProvider() {
    this.client = null;
  }

  /**
   * Uses {@code client}, which the caller keeps owning (the backend does not close it). Its namespace is
   * used unless {@value #NAMESPACE} is set.
   */
  public K8sBackendProvider(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public String id() {
    return K8sSecretBackend.ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    List<String> names = context.config().list(SECRET);
    if (names.isEmpty()) {
      return Activation.inactive(SECRET + " is not set (names of the Secret objects to read through the "
          + "Kubernetes API)");
    }
    return Activation.active(SECRET + "=" + String.join(",", names));
  }

  @Override
  public SecretBackend create(BackendContext context) {
    SecretsConfig config = context.config();
    List<String> names = config.list(SECRET);
    if (names.isEmpty()) {
      throw BackendConfigurationException.setting(SECRET, "expected a comma list of Secret names");
    }
    for (String name : names) {
      if (!SECRET_NAME.matcher(name).matches()) {
        throw BackendConfigurationException.setting(SECRET, "expected Secret names (lower-case letters, digits, "
            + "'-' and '.'), found an entry of " + name.length() + " characters that is not one");
      }
    }
    boolean trim = config.bool(K8sFilesBackendProvider.TRIM_NEWLINE, true);
    if (client != null) {
      String namespace = config.get(NAMESPACE).or(() -> Optional.ofNullable(client.getNamespace()))
          .orElseThrow(() -> missingNamespace());
      return new K8sSecretBackend(client, false, namespace, names, trim, context.clock(), context.logger());
    }
    Config clientConfig;
    try {
      clientConfig = Config.autoConfigure(null);
    } catch (KubernetesClientException e) {
      throw new BackendConfigurationException(id(), "Cannot configure the Kubernetes client from the in-cluster "
          + "service account or the kubeconfig: " + e.getClass().getSimpleName()
          + ". Check KUBECONFIG or run in a pod with a service account.", e);
    }
    context.requireHttpsInStrictProfile("the Kubernetes API URL (in-cluster config or kubeconfig)",
        clientConfig.getMasterUrl(), "Kubernetes API");
    if (context.profile().strict() && clientConfig.isTrustCerts()) {
      throw new BackendConfigurationException(id(), "Kubernetes API TLS verification is turned off "
          + "(trustCerts / insecure-skip-tls-verify), which is refused in profile '" + context.profile().name()
          + "'. Give the cluster's CA instead.");
    }
    clientConfig.setRequestRetryBackoffLimit(REQUEST_RETRIES);
    String namespace = config.get(NAMESPACE).or(K8sBackendProvider::serviceAccountNamespace)
        .or(() -> Optional.ofNullable(clientConfig.getNamespace())).orElseThrow(() -> missingNamespace());
    KubernetesClient built = new KubernetesClientBuilder().withConfig(clientConfig).build();
    return new K8sSecretBackend(built, true, namespace, names, trim, context.clock(), context.logger());
  }

  private static Optional<String> serviceAccountNamespace() {
    Path file = Path.of(SERVICE_ACCOUNT_NAMESPACE_FILE);
    if (!Files.isReadable(file)) {
      return Optional.empty();
    }
    try {
      String namespace = Files.readString(file, StandardCharsets.UTF_8).strip();
      return namespace.isEmpty() ? Optional.empty() : Optional.of(namespace);
    } catch (IOException e) {
      throw new BackendConfigurationException(K8sSecretBackend.ID, "Cannot read the service-account namespace "
          + "file " + file + " (" + e.getClass().getSimpleName() + "); set " + NAMESPACE + " instead", e);
    }
  }

  private static BackendConfigurationException missingNamespace() {
    return BackendConfigurationException.setting(NAMESPACE, "the namespace of the Secrets is unknown (no "
        + "service-account namespace file at " + SERVICE_ACCOUNT_NAMESPACE_FILE + " and no namespace in the "
        + "kubeconfig context); set it");
  }
}
