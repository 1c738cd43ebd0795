package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * Both Kubernetes backends built in code with public API only: their providers and
 * {@link BackendContext#builder}. The mounted-files backend reads a real kubelet-style folder; the API
 * backend is built from a kubeconfig and contacts nothing.
 */
class K8sBuiltInCodeTest {
  @TempDir
  Path temp;
  private final String previousKubeconfig = System.getProperty("kubeconfig");

  @AfterEach
  void restore() {
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
  }

  @Test
  void theMountedFilesBackendIsBuiltInCode() throws Exception {
    Path generation = Files.createDirectories(temp.resolve("..2026_12_02_00_00_00.1"));
    Files.writeString(generation.resolve("DB_PASSWORD"), "from-files\n");
    Files.createSymbolicLink(temp.resolve("..data"), generation.getFileName());
    Files.createSymbolicLink(temp.resolve("DB_PASSWORD"), Path.of("..data/DB_PASSWORD"));
    BackendContext context = BackendContext.builder("k8s-files")
        .config(SecretsConfig.of(Map.of(K8sFilesBackendProvider.MOUNT, temp.toString())))
        .build();

    try (SecretBackend backend = new K8sFilesBackendProvider().create(context)) {
      assertThat(backend.id()).isEqualTo("k8s-files");
      assertThat(backend.fetch("DB_PASSWORD", VersionSelector.latest())).map(s -> s.value().reveal())
          .contains("from-files");
    }
  }

  @Test
  void theApiBackendIsBuiltInCode() throws Exception {
    Path file = temp.resolve("config");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:6443
        contexts:
        - name: ctx
          context:
            cluster: c
            user: u
        current-context: ctx
        users:
        - name: u
          user:
            token: not-a-real-token
        """);
    System.setProperty("kubeconfig", file.toString());
    BackendContext context = BackendContext.builder(K8sSecretBackend.ID)
        .config(SecretsConfig.of(Map.of(K8sBackendProvider.SECRET, "app", K8sBackendProvider.NAMESPACE, "payments")))
        .build();

    try (SecretBackend backend = new K8sBackendProvider().create(context)) {
      assertThat(backend.describe()).isEqualTo("k8s[payments/app]");
    }
  }
}
