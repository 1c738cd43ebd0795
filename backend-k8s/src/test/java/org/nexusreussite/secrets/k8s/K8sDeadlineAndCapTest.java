package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Answer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Drip;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Endless;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Stall;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * Issue 12 findings 1, 6 and 8 for the Kubernetes API backend, with the real fabric8 client built by the
 * provider from a kubeconfig, against a server that misbehaves: a drip or a stall cannot hold a read past
 * {@code SECRETS_K8S_TIMEOUT} (fabric8's own request timeout is an idle timeout, which a drip never trips), a
 * huge answer is refused at the cap, and user info in the API URL is never shown.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class K8sDeadlineAndCapTest {
  private static final String PATH = "GET /api/v1/namespaces/test/secrets/app";
  private static final String SECRET = "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"app\","
      + "\"namespace\":\"test\",\"resourceVersion\":\"7\"},\"data\":{\"API_KEY\":\"dmFsdWU=\"}}";

  @TempDir
  Path temp;

  private final MisbehavingHttpServer server;
  private K8sSecretBackend backend;
  private String previousKubeconfig;

  K8sDeadlineAndCapTest() throws Exception {
    server = MisbehavingHttpServer.http();
  }

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
    server.close();
    if (previousKubeconfig == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previousKubeconfig);
    }
  }

  private K8sSecretBackend backend(String apiUrl, String... settings) throws Exception {
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
          context: { cluster: c, user: u, namespace: test }
        current-context: ctx
        users:
        - name: u
          user:
            token: t0ken
        """.formatted(apiUrl));
    previousKubeconfig = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", file.toString());
    Map<String, String> map = new HashMap<>(Map.of(K8sBackendProvider.SECRET, "app",
        K8sBackendProvider.TIMEOUT, "1s"));
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    backend = (K8sSecretBackend) new K8sBackendProvider().create(TestBackendContext.of(K8sSecretBackend.ID, map));
    return backend;
  }

  @Test
  void aDrippedAnswerFailsAtTheDeadline() throws Exception {
    server.on(l -> l.startsWith(PATH), new Drip(200, SECRET, Duration.ofMillis(200)));
    K8sSecretBackend b = backend(server.address());

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("API_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("did not answer completely within 1000 ms")
        .hasMessageContaining("SECRETS_K8S_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anAnswerThatStallsAfterTheHeadersFailsAtTheDeadline() throws Exception {
    server.on(l -> l.startsWith(PATH), new Stall(200, "{\"apiVersion\":", 300));
    K8sSecretBackend b = backend(server.address(), K8sBackendProvider.TIMEOUT, "1s");

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("API_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("SECRETS_K8S_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
  }

  @Test
  void aHugeAnswerIsRefusedAtTheCap() throws Exception {
    long hundredMb = 100L * 1024 * 1024;
    server.on(l -> l.startsWith(PATH), new Endless(200, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"A\":\"",
        hundredMb, false));
    K8sSecretBackend b = backend(server.address(), K8sBackendProvider.MAX_RESPONSE_BYTES, "65536",
        K8sBackendProvider.TIMEOUT, "20s");

    assertThatThrownBy(() -> b.fetch("API_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("more than 65536 bytes")
        .hasMessageContaining("SECRETS_K8S_MAX_RESPONSE_BYTES");
    assertThat(server.bodyBytesWritten()).isLessThan(hundredMb / 4);
  }

  @Test
  void anAnswerWithinTheCapIsRead() throws Exception {
    server.on(l -> l.startsWith(PATH), new Answer(200, "application/json", SECRET));
    K8sSecretBackend b = backend(server.address(), K8sBackendProvider.TIMEOUT, "5s");

    assertThat(b.fetch("API_KEY", VersionSelector.latest()))
        .hasValueSatisfying(s -> assertThat(s.value().reveal()).isEqualTo("value"));
  }

  @Test
  void userInfoInTheApiUrlIsNeverShown() throws Exception {
    server.on(l -> l.startsWith(PATH), new Answer(500, "application/json", "{}"));
    K8sSecretBackend b = backend("http://admin:canary-k8s-pw@127.0.0.1:" + server.port(),
        K8sBackendProvider.TIMEOUT, "5s");

    assertThatThrownBy(() -> b.fetch("API_KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageNotContaining("canary-k8s-pw");
    assertThat(b.health().toString()).doesNotContain("canary-k8s-pw");
  }
}
