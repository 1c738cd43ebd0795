package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import org.nexusreussite.secrets.Profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * Activation and configuration of the API provider. The client is built from a kubeconfig written to a
 * temporary folder (fabric8 reads the {@code kubeconfig} system property); nothing is contacted.
 */
class K8sBackendProviderTest {
  @TempDir
  Path temp;
  private String previousKubeconfig;

  @BeforeEach
  void isolateFromTheMachinesKubeconfig() {
    previousKubeconfig = System.getProperty("kubeconfig");
  }

  @AfterEach
  void restore() {
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
  }

  private void kubeconfig(String server, String namespace) throws Exception {
    Path file = temp.resolve("config");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: %s
        contexts:
        - name: ctx
          context:
            cluster: c
            user: u
            %s
        current-context: ctx
        users:
        - name: u
          user:
            token: not-a-real-token
        """.formatted(server, namespace == null ? "" : "namespace: " + namespace));
    System.setProperty("kubeconfig", file.toString());
  }

  @Test
  void inactiveWithAReasonWhenNoSecretIsNamed() {
    Activation activation = new K8sBackendProvider().activation(TestBackendContext.of("k8s", Map.of()));
    assertThat(activation.active()).isFalse();
    assertThat(activation.reason()).startsWith("SECRETS_K8S_SECRET is not set");
  }

  @Test
  void activeWhenSecretsAreNamed() {
    Activation activation = new K8sBackendProvider().activation(TestBackendContext.of("k8s",
        Map.of("SECRETS_K8S_SECRET", "app, shared")));
    assertThat(activation.active()).isTrue();
    assertThat(activation.reason()).isEqualTo("SECRETS_K8S_SECRET=app,shared");
  }

  @Test
  void theNamespaceComesFromTheKubeconfigContextWhenNotSet() throws Exception {
    kubeconfig("https://127.0.0.1:6443", "payments");
    try (SecretBackend backend = new K8sBackendProvider().create(TestBackendContext.of("k8s",
        Map.of("SECRETS_K8S_SECRET", "app")))) {
      assertThat(backend.describe()).isEqualTo("k8s[payments/app]");
    }
  }

  @Test
  void theNamespaceSettingWins() throws Exception {
    kubeconfig("https://127.0.0.1:6443", "payments");
    try (SecretBackend backend = new K8sBackendProvider().create(TestBackendContext.of("k8s",
        Map.of("SECRETS_K8S_SECRET", "app,shared", "SECRETS_K8S_NAMESPACE", "billing")))) {
      assertThat(backend.describe()).isEqualTo("k8s[billing/app,shared]");
    }
  }

  @Test
  void anInvalidSecretNameIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new K8sBackendProvider().create(TestBackendContext.of("k8s",
        Map.of("SECRETS_K8S_SECRET", "Not_A_Name"))))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("SECRETS_K8S_SECRET");
  }

  @Test
  void aPlainHttpApiServerIsRefusedInProduction() throws Exception {
    kubeconfig("http://127.0.0.1:8080", "payments");
    assertThatThrownBy(() -> new K8sBackendProvider().create(TestBackendContext.of("k8s",
        Map.of("SECRETS_K8S_SECRET", "app")).withProfile(Profile.production())))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("HTTPS in production");
  }
}
