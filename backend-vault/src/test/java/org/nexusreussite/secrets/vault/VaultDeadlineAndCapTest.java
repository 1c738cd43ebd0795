package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Answer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Drip;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Endless;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Stall;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * Issue 12 findings 1, 6 and 8 for Vault: a server that stalls after the headers or drips its body cannot hold a
 * read past {@code SECRETS_VAULT_READ_TIMEOUT}; a huge answer is refused at the cap without being read whole; a
 * password in {@code VAULT_ADDR} is never shown.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // before the fix, the stall hung forever
class VaultDeadlineAndCapTest {
  private static final String LOOKUP = "{\"data\":{\"ttl\":0,\"renewable\":false}}";
  private static final String MOUNT = "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"options\":{\"version\":\"2\"}}}";
  private static final String DATA = "{\"data\":{\"data\":{\"K\":\"v\"},\"metadata\":{\"version\":1,"
      + "\"created_time\":\"2026-01-01T00:00:00Z\"}}}";

  @TempDir
  Path home;

  private final MisbehavingHttpServer server;
  private VaultSecretBackend backend;

  VaultDeadlineAndCapTest() throws Exception {
    server = MisbehavingHttpServer.http();
    server.on(l -> l.equals("GET /v1/auth/token/lookup-self"), new Answer(200, "application/json", LOOKUP));
    server.on(l -> l.startsWith("GET /v1/sys/internal/ui/mounts/"), new Answer(200, "application/json", MOUNT));
  }

  @AfterEach
  void tearDown() {
    if (backend != null) {
      backend.close();
    }
    server.close();
  }

  private VaultSecretBackend backend(String address, Map<String, String> extra) {
    Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", address, "VAULT_TOKEN", "s.token",
        "VAULT_PATH", "secret/app", "SECRETS_VAULT_RETRIES", "2", "SECRETS_VAULT_RETRY_BACKOFF", "1ms",
        "SECRETS_VAULT_READ_TIMEOUT", "1s"));
    s.putAll(extra);
    ManualClock clock = new ManualClock();
    BackendContext context = TestBackendContext.of(VaultBackendProvider.ID, s)
        .withScheduler(new ManualScheduler(clock)).withClock(clock);
    backend = (VaultSecretBackend) new VaultBackendProvider(() -> home).create(context);
    return backend;
  }

  @Test
  void aServerThatStallsAfterTheHeadersFailsTheReadAtTheDeadline() {
    server.on(l -> l.startsWith("GET /v1/secret/data/app"), new Stall(200, "{\"data\":{\"data\":", 400));
    VaultSecretBackend b = backend(server.address(), Map.of());

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("did not answer GET /v1/secret/data/app completely within 1000 ms")
        .hasMessageContaining("SECRETS_VAULT_READ_TIMEOUT")
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void aServerThatDripsItsBodyFailsTheReadAtTheDeadline() {
    server.on(l -> l.startsWith("GET /v1/secret/data/app"), new Drip(200, DATA, Duration.ofMillis(400)));
    VaultSecretBackend b = backend(server.address(), Map.of());

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("SECRETS_VAULT_READ_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void aHugeAnswerIsRefusedAtTheCapWithoutReadingItWhole() {
    long hundredMb = 100L * 1024 * 1024;
    server.on(l -> l.startsWith("GET /v1/secret/data/app"),
        new Endless(200, "{\"data\":{\"data\":{\"K\":\"", hundredMb, false));
    VaultSecretBackend b = backend(server.address(), Map.of("SECRETS_VAULT_MAX_RESPONSE_BYTES", "65536",
        "SECRETS_VAULT_READ_TIMEOUT", "10s"));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("more than 65536 bytes")
        .hasMessageContaining("SECRETS_VAULT_MAX_RESPONSE_BYTES")
        .hasMessageContaining("/v1/secret/data/app")
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
    // the socket buffers may hold a few MB more than the client read, never the whole answer
    assertThat(server.bodyBytesWritten()).isLessThan(hundredMb / 4);
  }

  @Test
  void aDeclaredLengthAboveTheCapIsRefusedBeforeReading() {
    server.on(l -> l.startsWith("GET /v1/secret/data/app"),
        new Endless(200, "{\"data\":", 10L * 1024 * 1024, true));
    VaultSecretBackend b = backend(server.address(), Map.of("SECRETS_VAULT_MAX_RESPONSE_BYTES", "65536"));

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("more than 65536 bytes");
  }

  @Test
  void anAnswerWithinTheCapIsRead() {
    server.on(l -> l.startsWith("GET /v1/secret/data/app"), new Answer(200, "application/json", DATA));
    VaultSecretBackend b = backend(server.address(), Map.of());

    assertThat(b.fetch("K", VersionSelector.latest())).hasValueSatisfying(s ->
        assertThat(s.value().reveal()).isEqualTo("v"));
  }

  @Test
  void aPasswordInTheAddressIsNeverShown() {
    String address = "http://operator:canary-pw@127.0.0.1:" + server.port();
    server.on(l -> l.startsWith("GET /v1/secret/data/app"), new Answer(503, "application/json",
        "{\"errors\":[\"Vault is sealed\"]}"));
    VaultSecretBackend b = backend(address, Map.of());

    assertThat(b.toString()).doesNotContain("canary-pw").contains("***@127.0.0.1");
    assertThat(b.health().toString()).doesNotContain("canary-pw");
    assertThat(new VaultBackendProvider(() -> home).activation(TestBackendContext.of(VaultBackendProvider.ID,
        Map.of("VAULT_ADDR", address))).toString()).doesNotContain("canary-pw");
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("***@127.0.0.1")
        .satisfies(e -> assertThat(chain(e)).doesNotContain("canary-pw"));
  }

  @Test
  void aPasswordInAMalformedAddressIsNotShownEither() {
    assertThatThrownBy(() -> VaultOptions.builder("https://user:canary-pw@bad host:8200"))
        .satisfies(e -> assertThat(chain(e)).doesNotContain("canary-pw"));
  }

  @Test
  void aMetadataFieldOfTheWrongTypeReadsAsAbsentWithoutQuotingIt() {
    // JsonFields: a field of the wrong shape reads as absent (the driver's typed getters would throw an
    // exception quoting it); the value is still served, and nothing shows the field's text
    server.on(l -> l.startsWith("GET /v1/secret/data/app"), new Answer(200, "application/json",
        DATA.replace("\"version\":1", "\"version\":\"canary-vault-text\"")));
    VaultSecretBackend b = backend(server.address(), Map.of());

    assertThat(b.fetch("K", VersionSelector.latest())).hasValueSatisfying(s -> {
      assertThat(s.version().id()).doesNotContain("canary-vault-text");
      assertThat(s.toString()).doesNotContain("canary-vault-text");
    });
  }

  @Test
  void malformedJsonReachesNoCause() {
    server.on(l -> l.startsWith("GET /v1/secret/data/app"), new Answer(200, "application/json",
        "{\"data\":{\"data\":{\"K\":\"canary-vault-text\" oops"));
    VaultSecretBackend b = backend(server.address(), Map.of());

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .satisfies(e -> assertThat(chain(e)).doesNotContain("canary-vault-text"));
  }

  static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n').append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
