package org.nexusreussite.secrets.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;

/**
 * WireMock over HTTPS serving {@link FakeKeyVault}, with a self-signed certificate made by the JDK's
 * {@code keytool} at test time and an {@link SSLContext} that trusts only it. Start one per test class:
 * the Azure client caches the authentication challenge per host and port for the life of the JVM.
 */
final class KeyVaultStandIn implements AutoCloseable {
  static final String PASSWORD = "changeit";
  private static Path keystore;

  /** Counts the tokens handed out, so tests can see the credential was used. */
  final AtomicInteger tokensIssued = new AtomicInteger();
  final FakeKeyVault store = new FakeKeyVault();
  final WireMockServer server;
  final SSLContext sslContext;
  private final int port;

  private KeyVaultStandIn() throws Exception {
    Path ks = keystore();
    server = new WireMockServer(WireMockConfiguration.options()
        .httpDisabled(true)
        .dynamicHttpsPort()
        .bindAddress("127.0.0.1")
        .keystorePath(ks.toString())
        .keystorePassword(PASSWORD)
        .keyManagerPassword(PASSWORD)
        .keystoreType("PKCS12")
        .extensions(store));
    server.start();
    server.stubFor(any(urlPathMatching("/.*")).atPriority(10)
        .willReturn(aResponse().withTransformers(FakeKeyVault.NAME)));
    sslContext = trusting(ks);
    port = server.httpsPort();
  }

  /** Starts a stand-in on a fresh port. */
  static KeyVaultStandIn start() throws Exception {
    return new KeyVaultStandIn();
  }

  /** {@code https://localhost:<port>}: the certificate names localhost. */
  String url() {
    return "https://localhost:" + port;
  }

  /** A credential that always hands out a fake token, as the stand-in accepts any bearer token. */
  TokenCredential credential() {
    return request -> {
      tokensIssued.incrementAndGet();
      return Mono.just(new AccessToken("fake-token", OffsetDateTime.now().plusHours(1)));
    };
  }

  /** Options for a backend on this stand-in, with short timeouts and retries so nothing hangs. */
  AzureOptions.Builder options() {
    return AzureOptions.builder()
        .vaultUrl(url())
        .credential(credential())
        .sslContext(sslContext)
        .disableChallengeResourceVerification()
        .timeout(Duration.ofSeconds(5))
        .maxRetries(1)
        .retryDelay(Duration.ofMillis(20))
        .maxRetryWait(Duration.ofSeconds(3));
  }

  @Override
  public void close() {
    if (server.isRunning()) {
      server.stop();
    }
  }

  static synchronized Path keystore() throws IOException, InterruptedException {
    if (keystore != null) {
      return keystore;
    }
    Path dir = Files.createTempDirectory("azure-standin-tls");
    dir.toFile().deleteOnExit();
    Path ks = dir.resolve("localhost.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "localhost",
        "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD))
        .redirectErrorStream(true).start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool could not create the test certificate: " + output);
    }
    ks.toFile().deleteOnExit();
    keystore = ks;
    return ks;
  }

  static SSLContext trusting(Path ks) throws Exception {
    KeyStore source = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      source.load(in, PASSWORD.toCharArray());
    }
    Certificate cert = source.getCertificate("localhost");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("localhost", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
