package org.nexusreussite.secrets.testkit.server;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real OpenBao dev server ({@code bao server -dev}) on a free port: KV v2 mounted at {@code secret/},
 * in-memory storage, a known root token. Use {@link #shared()} for one server per test JVM.
 */
public final class OpenBaoServer extends LocalProcessServer {

  private static OpenBaoServer shared;

  private final String rootToken = "root-" + UUID.randomUUID();

  /** A server not yet started; call {@link #start()}. */
  public OpenBaoServer() {
    super("openbao");
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
    return List.of(TestTools.executable("bao").toString(), "server", "-dev",
        "-dev-root-token-id=" + rootToken, "-dev-listen-address=127.0.0.1:" + port, "-dev-no-store-token");
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

  /** The address to give clients, e.g. as {@code VAULT_ADDR}. */
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
