package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/**
 * Kubernetes Secret objects through the API (fabric8's configuration and HTTP client): id {@code k8s}, ordinal
 * {@value #ORDINAL}. Active when {@value #SECRET} names at least one Secret.
 *
 * <p>Settings: {@value #SECRET} (comma list of Secret names, earlier wins), {@value #NAMESPACE}
 * (default: the service-account namespace file, else the kubeconfig context's namespace) and
 * {@code SECRETS_K8S_TRIM_NEWLINE}. The connection comes from the in-cluster service account or the
 * kubeconfig, as fabric8 finds them. The service account needs {@code get}, {@code list} and
 * {@code watch} on {@code secrets} in that namespace.
 *
 * <p>To reuse a client the application already has: {@code SecretResolver.builder().provider(
 * K8sBackendProvider.withClient(client))}; the backend then never closes it. Thread-safe.
 */
public final class K8sBackendProvider implements SecretBackendProvider {
  /** Same level as the other remote stores. */
  public static final int ORDINAL = 300;
  /** Setting: comma list of Secret names. */
  public static final String SECRET = "SECRETS_K8S_SECRET";
  /** Setting: the namespace of the Secrets. */
  public static final String NAMESPACE = "SECRETS_K8S_NAMESPACE";
  /**
   * Setting: total deadline of one API read (connect, headers and the whole body), default 10s. A read past it
   * fails like any unreachable API, and the calling thread is freed.
   */
  public static final String TIMEOUT = "SECRETS_K8S_TIMEOUT";
  /** Setting: largest API answer accepted, in bytes, default 4 MiB; a larger one is refused at the cap. */
  public static final String MAX_RESPONSE_BYTES = "SECRETS_K8S_MAX_RESPONSE_BYTES";
  /** Default of {@link #TIMEOUT}. */
  public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofSeconds(10);
  /** Default of {@link #MAX_RESPONSE_BYTES}: far above a Secret's 1 MiB limit. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Where a pod's service account namespace is mounted. */
  public static final String SERVICE_ACCOUNT_NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  private static final Pattern SECRET_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  // typed Object so that this class loads without fabric8: ServiceLoader inspects the constructors of
  // every registered provider, and an application using only the mounted-file backend may exclude
  // fabric8 (kubernetes-client-api, kubernetes-httpclient-jdk); every fabric8 type lives in K8sClients,
  // touched only by create()
  private final @Nullable Object client;

  /** For ServiceLoader: the client is built from the in-cluster config or the kubeconfig. */
  public K8sBackendProvider() {
    this.client = null;
  }

  private K8sBackendProvider(Object client) {
    this.client = client;
  }

  /**
   * A provider that uses {@code client}, which the caller keeps owning (the backend does not close it).
   * Its namespace is used unless {@value #NAMESPACE} is set.
   *
   * <p>The backend uses the client's HTTP client, configuration and JSON binding (not its DSL). Closing the
   * backend stops its watches, and the client stays open: close it when you are done with it.
   */
  public static K8sBackendProvider withClient(KubernetesClient client) {
    return new K8sBackendProvider(Objects.requireNonNull(client, "client"));
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
    if (client == null && !clientLibraryPresent()) {
      throw new BackendConfigurationException(id(), SECRET + " is set but fabric8 (io.fabric8:kubernetes-client-api "
          + "and kubernetes-httpclient-jdk) is not on the class path (it was excluded from secrets-backend-k8s); add "
          + "it back, or unset " + SECRET);
    }
    return K8sClients.create(context, client, names, trim);
  }

  private static boolean clientLibraryPresent() {
    try {
      Class.forName("io.fabric8.kubernetes.client.Config", false, K8sBackendProvider.class.getClassLoader());
      Class.forName("io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory", false,
          K8sBackendProvider.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static BackendConfigurationException missingNamespace() {
    return BackendConfigurationException.setting(NAMESPACE, "the namespace of the Secrets is unknown (no "
        + "service-account namespace file at " + SERVICE_ACCOUNT_NAMESPACE_FILE + " and no namespace in the "
        + "kubeconfig context); set it");
  }
}
