package org.nexusreussite.secrets.buildsupport.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A real OpenBao dev server ({@code bao server -dev}) on a free port: KV v2 mounted at {@code secret/},
 * in-memory storage, a known root token. Use {@link #shared()} for one server per test JVM, or
 * {@link #withTls(Path)} for one that serves HTTPS with a generated CA.
 */
public final class OpenBaoServer extends LocalProcessServer {

  private static @Nullable OpenBaoServer shared;

  /** The CA certificate {@code bao server -dev-tls} writes into its certificate folder. */
  private static final String CA_FILE = "vault-ca.pem";

  private final String rootToken = "root-" + UUID.randomUUID();
  private final @Nullable Path tlsCertDir;

  /** A server not yet started; call {@link #start()}. */
  public OpenBaoServer() {
    this(null);
  }

  private OpenBaoServer(@Nullable Path tlsCertDir) {
    super("openbao");
    this.tlsCertDir = tlsCertDir;
  }

  /**
   * A server, not yet started, that serves HTTPS ({@code bao server -dev -dev-tls}): at each start it
   * generates a new CA and a certificate for {@code 127.0.0.1} and {@code localhost} into
   * {@code certDir}, replacing what is there. {@link #caCert()} is the CA to trust (give it to clients as
   * {@code VAULT_CACERT}); {@link #address()} is {@code https://127.0.0.1:<port>}.
   */
  public static OpenBaoServer withTls(Path certDir) {
    return new OpenBaoServer(certDir.toAbsolutePath());
  }

  /** One started server for the whole test JVM, stopped at exit. */
  public static synchronized OpenBaoServer shared() {
    if (shared == null) {
      OpenBaoServer server = new OpenBaoServer();
      server.start();
      shared = server;
    }
    return shared;
  }

  @Override
  protected List<String> command(int port) {
    List<String> command = new ArrayList<>(List.of(TestTools.executable("bao").toString(), "server", "-dev",
        "-dev-root-token-id=" + rootToken, "-dev-listen-address=127.0.0.1:" + port, "-dev-no-store-token"));
    if (tlsCertDir != null) {
      try {
        Files.createDirectories(tlsCertDir); // bao does not create it
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the OpenBao certificate folder " + tlsCertDir, e);
      }
      command.add("-dev-tls");
      command.add("-dev-tls-cert-dir=" + tlsCertDir);
    }
    return command;
  }

  @Override
  protected String scheme() {
    return tlsCertDir == null ? "http" : "https";
  }

  /** With TLS, a client that trusts only the server's generated CA (and so also checks the host name). */
  @Override
  protected HttpClient newHttpClient() throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tlsCertDir != null) {
      builder.sslContext(trusting(caCert()));
    }
    return builder.build();
  }

  /**
   * An {@link SSLContext} trusting the certificates of a PEM file and nothing else.
   *
   * @throws IOException when the file is missing or not (yet) a complete PEM certificate
   */
  private static SSLContext trusting(Path pemFile) throws IOException {
    try (InputStream in = Files.newInputStream(pemFile)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IOException("no certificate in " + pemFile);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust " + pemFile + ": " + e, e);
    }
  }

  @Override
  protected Map<String, String> environment() {
    // keep the developer's own Vault settings away from the test server
    return Map.of("HOME", System.getProperty("java.io.tmpdir"), "VAULT_ADDR", "", "BAO_ADDR", "");
  }

  @Override
  protected String readinessPath() {
    return "/v1/sys/health";
  }

  /** The root token. */
  public String rootToken() {
    return rootToken;
  }

  /**
   * The CA certificate (PEM) of a server made by {@link #withTls(Path)}; it exists once the server has
   * started, and changes at each start.
   *
   * @throws IllegalStateException for a plain HTTP server
   */
  public Path caCert() {
    if (tlsCertDir == null) {
      throw new IllegalStateException("this OpenBao server serves plain HTTP; use OpenBaoServer.withTls(dir)");
    }
    return tlsCertDir.resolve(CA_FILE);
  }

  /** The address to give clients, e.g. as {@code VAULT_ADDR}: {@code http://} or, with TLS, {@code https://}. */
  public String address() {
    return baseUrl();
  }

  /**
   * Calls the HTTP API with the root token, e.g. {@code api("POST", "/v1/sys/auth/approle",
   * "{\"type\":\"approle\"}")}, and fails on a status of 400 or more.
   *
   * @return the response body
   */
  public String api(String method, String path, String jsonBody) {
    HttpResponse<String> response = apiResponse(method, path, jsonBody);
    if (response.statusCode() >= 400) {
      throw new IllegalStateException("OpenBao " + method + " " + path + " answered " + response.statusCode()
          + ": " + response.body());
    }
    return response.body();
  }

  /** Calls the HTTP API with the root token and returns the response whatever its status. */
  public HttpResponse<String> apiResponse(String method, String path, String jsonBody) {
    return send(method, path, jsonBody, Map.of("X-Vault-Token", rootToken, "Content-Type", "application/json"));
  }
}
