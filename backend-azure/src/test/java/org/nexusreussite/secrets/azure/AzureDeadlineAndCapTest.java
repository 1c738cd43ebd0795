package org.nexusreussite.secrets.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Answer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Drip;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Endless;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Stall;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import reactor.core.publisher.Mono;

/**
 * Issue 12 findings 1, 6, 7 and 8 for Azure, with the real Azure client over real TLS against a server that
 * misbehaves after the challenge: a drip or a stall cannot hold a read past {@code SECRETS_AZURE_TIMEOUT}, a
 * huge answer is refused at the cap, store text never reaches a cause, and user info in the URL is refused
 * without being shown.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // before the fix the drip hung past 90 s
class AzureDeadlineAndCapTest {
  private static final String CANARY = "canary-store-text-7f3a";

  private final MisbehavingHttpServer server;

  AzureDeadlineAndCapTest() throws Exception {
    server = MisbehavingHttpServer.https(serverContext());
    // challenge authentication: the first request of the client goes without a token
    server.onHead(h -> !h.toLowerCase(Locale.ROOT).contains("\r\nauthorization:"), new Answer(401,
        "application/json", "{}", Map.of("WWW-Authenticate",
            "Bearer authorization=\"https://login.example/tenant\", resource=\"https://vault.azure.net\"")));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private AzureSecretBackend backend(Duration timeout, int maxBytes) throws Exception {
    return AzureSecretBackend.create(AzureOptions.builder()
        .vaultUrl("https://localhost:" + server.port())
        .credential(r -> Mono.just(new AccessToken("fake", OffsetDateTime.now().plusHours(1))))
        .sslContext(KeyVaultStandIn.trusting(KeyVaultStandIn.keystore()))
        .disableChallengeResourceVerification()
        .timeout(timeout)
        .maxResponseBytes(maxBytes)
        .maxRetries(2)
        .retryDelay(Duration.ofMillis(10))
        .build());
  }

  private String secretJson(String value) {
    return "{\"value\":\"" + value + "\",\"id\":\"https://localhost:" + server.port()
        + "/secrets/K/0123456789abcdef0123456789abcdef\",\"attributes\":{\"enabled\":true,\"created\":1700000000,"
        + "\"updated\":1700000000}}";
  }

  @Test
  void aDrippedAnswerFailsAtTheDeadline() throws Exception {
    server.on(l -> l.startsWith("GET /secrets/K/"), new Drip(200, secretJson("v"), Duration.ofMillis(300)));
    AzureSecretBackend b = backend(Duration.ofSeconds(1), AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("did not answer completely within 1000 ms")
        .hasMessageContaining("SECRETS_AZURE_TIMEOUT");
    // one attempt: a passed deadline is not retried
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
  }

  @Test
  void anAnswerThatStallsAfterTheHeadersFailsAtTheDeadline() throws Exception {
    server.on(l -> l.startsWith("GET /secrets/K/"), new Stall(200, "{\"value\":\"", 300));
    AzureSecretBackend b = backend(Duration.ofSeconds(1), AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("SECRETS_AZURE_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
  }

  @Test
  void retriesOfSlowFailuresEndAtTheCallDeadline() throws Exception {
    // each attempt takes ~1.2 s and fails with a retried 503: four attempts took ~5 s, past a 1.5 s call
    server.on(l -> l.startsWith("GET /secrets/K/"), new Drip(503, "{\"error\":{}}", Duration.ofMillis(100)));
    AzureSecretBackend b = AzureSecretBackend.create(options(Duration.ofSeconds(2)).maxRetries(3)
        .callTimeout(Duration.ofMillis(1500)).build());

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("Azure Key Vault");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // the call deadline plus fixed slack, well under the four full attempts the retries allow
    assertThat(took).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void anAttemptGetsOnlyTheTimeLeftOfTheCall() throws Exception {
    // the request's own deadline (2 s) is longer than the call's (1 s): the call's wins, and says so
    server.on(l -> l.startsWith("GET /secrets/K/"), new Drip(200, secretJson("v"), Duration.ofMillis(300)));
    AzureSecretBackend b = AzureSecretBackend.create(options(Duration.ofSeconds(2)).maxRetries(2)
        .callTimeout(Duration.ofSeconds(1)).build());

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("within 1000 ms (SECRETS_AZURE_CALL_TIMEOUT")
        .hasMessageContaining("raise SECRETS_AZURE_CALL_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1800));
  }

  @Test
  void aRetryAfterLongerThanTheTimeLeftIsNotWaitedFor() throws Exception {
    // within SECRETS_AZURE_MAX_RETRY_WAIT (30 s), but past the 2 s call deadline: refused at once
    server.on(l -> l.startsWith("GET /secrets/K/"), new Answer(429, "application/json", "{}",
        Map.of("Retry-After", "5")));
    AzureSecretBackend b = AzureSecretBackend.create(options(Duration.ofSeconds(1)).maxRetries(3)
        .callTimeout(Duration.ofSeconds(2)).build());

    long start = System.nanoTime();
    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    assertThat(server.requestLines().stream().filter(l -> l.startsWith("GET /secrets/K/")).count())
        .as("requests for the secret: the throttled one, and no retry").isLessThanOrEqualTo(2);
  }

  @Test
  void theCallDeadlineSettingIsReadAndChecked() {
    Map<String, String> base = Map.of(AzureBackendProvider.VAULT_URL, "https://v.vault.azure.net",
        AzureBackendProvider.TIMEOUT, "2s", AzureBackendProvider.MAX_RETRIES, "1");
    AzureBackendProvider provider = new AzureBackendProvider();
    AzureSecretBackend byDefault = (AzureSecretBackend) provider.create(TestBackendContext.of("azure", base));
    assertThat(byDefault.options().callTimeout()).isEqualTo(Duration.ofSeconds(9)); // 2s x 2 + 5s
    Map<String, String> set = new java.util.HashMap<>(base);
    set.put(AzureBackendProvider.CALL_TIMEOUT, "3s");
    assertThat(((AzureSecretBackend) provider.create(TestBackendContext.of("azure", set))).options().callTimeout())
        .isEqualTo(Duration.ofSeconds(3));
    set.put(AzureBackendProvider.CALL_TIMEOUT, "1s");
    assertThatThrownBy(() -> provider.create(TestBackendContext.of("azure", set)))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_AZURE_CALL_TIMEOUT")
        .hasMessageContaining("at least SECRETS_AZURE_TIMEOUT");
  }

  private AzureOptions.Builder options(Duration timeout) throws Exception {
    return AzureOptions.builder()
        .vaultUrl("https://localhost:" + server.port())
        .credential(r -> Mono.just(new AccessToken("fake", OffsetDateTime.now().plusHours(1))))
        .sslContext(KeyVaultStandIn.trusting(KeyVaultStandIn.keystore()))
        .disableChallengeResourceVerification()
        .timeout(timeout)
        .retryDelay(Duration.ofMillis(10));
  }

  @Test
  void aHugeAnswerIsRefusedAtTheCap() throws Exception {
    long hundredMb = 100L * 1024 * 1024;
    server.on(l -> l.startsWith("GET /secrets/K/"), new Endless(200, "{\"value\":\"", hundredMb, false));
    AzureSecretBackend b = backend(Duration.ofSeconds(20), 65536);

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("more than 65536 bytes")
        .hasMessageContaining("SECRETS_AZURE_MAX_RESPONSE_BYTES")
        .hasMessageContaining("'K'");
    assertThat(server.bodyBytesWritten()).isLessThan(hundredMb / 4);
  }

  @Test
  void anAnswerWithinTheCapIsRead() throws Exception {
    server.on(l -> l.startsWith("GET /secrets/K/"), new Answer(200, "application/json", secretJson("v")));
    AzureSecretBackend b = backend(Duration.ofSeconds(5), AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);

    assertThat(b.fetch("K", VersionSelector.latest()))
        .hasValueSatisfying(s -> assertThat(s.value().reveal()).isEqualTo("v"));
  }

  @Test
  void storeTextInAnErrorAnswerReachesNoCause() throws Exception {
    server.on(l -> l.startsWith("GET /secrets/K/"), new Answer(500, "application/json",
        "{\"error\":{\"code\":\"InternalError\",\"message\":\"" + CANARY + "\"}}"));
    AzureSecretBackend b = backend(Duration.ofSeconds(5), AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("HTTP 500")
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
  }

  @Test
  void storeTextInAMalformedAnswerReachesNoCause() throws Exception {
    server.on(l -> l.startsWith("GET /secrets/K/"), new Answer(200, "application/json",
        "{\"value\":\"" + CANARY + "\",\"attributes\":{\"created\":\"" + CANARY + "\"}"));
    AzureSecretBackend b = backend(Duration.ofSeconds(5), AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);

    assertThatThrownBy(() -> b.fetch("K", VersionSelector.latest()))
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
  }

  @Test
  void userInfoInTheVaultUrlIsRefusedWithoutShowingIt() {
    String url = "https://app:" + CANARY + "@my-vault.vault.azure.net";
    assertThat(new AzureBackendProvider().activation(TestBackendContext.of("azure",
        Map.of(AzureBackendProvider.VAULT_URL, url))).reason()).doesNotContain(CANARY).contains("***@");
    assertThatThrownBy(() -> AzureOptions.builder().vaultUrl(url))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("no user name or password")
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
    assertThatThrownBy(() -> AzureOptions.builder().vaultUrl("https://app:" + CANARY + "@bad host"))
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
  }

  static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n').append(t.getMessage()).append('\n');
      for (Throwable s : t.getSuppressed()) {
        sb.append(chain(s));
      }
    }
    return sb.toString();
  }

  private static SSLContext serverContext() throws Exception {
    Path ks = KeyVaultStandIn.keystore();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, KeyVaultStandIn.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, KeyVaultStandIn.PASSWORD.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }
}
