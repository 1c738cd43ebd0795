package org.nexusreussite.secrets.buildsupport.server;

import org.jspecify.annotations.Nullable;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.buildsupport.fault.Fault;

/**
 * A real Toxiproxy ({@code toxiproxy-server}, built from its Go module by {@code scripts/install-test-tools.sh})
 * on a free port, driven over its HTTP admin API. {@link #proxy(String, int)} puts a TCP proxy in front of a
 * test server; {@link Proxy#inject(Fault)} adds the toxics of a fault and {@link Proxy#heal()} removes them. TCP
 * level, so TLS passes through untouched. Use {@link #shared()} for one server per test JVM.
 */
public final class ToxiproxyServer extends LocalProcessServer {

  private static @Nullable ToxiproxyServer shared;

  /** A server not yet started; call {@link #start()}. */
  public ToxiproxyServer() {
    super("toxiproxy");
  }

  /** One started server for the whole test JVM, stopped at exit. */
  public static synchronized ToxiproxyServer shared() {
    if (shared == null) {
      ToxiproxyServer server = new ToxiproxyServer();
      server.start();
      shared = server;
    }
    return shared;
  }

  @Override
  protected List<String> command(int port) {
    return List.of(TestTools.executable("toxiproxy-server").toString(), "-host", "127.0.0.1", "-port",
        Integer.toString(port));
  }

  @Override
  protected String readinessPath() {
    return "/version";
  }

  /**
   * A new proxy named {@code name} on a free loopback port, forwarding to {@code 127.0.0.1:upstreamPort}.
   * An existing proxy of that name is replaced.
   */
  public Proxy proxy(String name, int upstreamPort) {
    send("DELETE", "/proxies/" + name, null, Map.of());
    int listen = TestTools.freePort();
    expect(send("POST", "/proxies", "{\"name\":\"" + name + "\",\"listen\":\"127.0.0.1:" + listen
        + "\",\"upstream\":\"127.0.0.1:" + upstreamPort + "\",\"enabled\":true}", Map.of()), 201, "create proxy "
        + name);
    return new Proxy(name, listen);
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status && !(status == 201 && r.statusCode() == 200)) {
      throw new IllegalStateException("toxiproxy: " + what + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** One proxy: where clients connect, and the faults on its path. */
  public final class Proxy implements AutoCloseable {
    private final String name;
    private final int port;

    private Proxy(String name, int port) {
      this.name = name;
      this.port = port;
    }

    /** The port clients connect to. */
    public int port() {
      return port;
    }

    /** {@code <scheme>://<host>:<port>} for clients. */
    public String url(String scheme, String host) {
      return scheme + "://" + host + ":" + port;
    }

    /** Adds the toxics of {@code fault}, after removing any present. */
    public Proxy inject(Fault fault) {
      heal();
      int i = 0;
      for (String toxic : fault.toxics()) {
        String toxicName = fault.name().toLowerCase(java.util.Locale.ROOT) + "-" + i++;
        String body = "{\"name\":\"" + toxicName + "\"," + toxic.substring(1);
        expect(send("POST", "/proxies/" + name + "/toxics", body, Map.of()), 200, "add toxic " + toxicName
            + " to " + name);
      }
      return this;
    }

    /** Removes every toxic: the path is healthy again. */
    public Proxy heal() {
      HttpResponse<String> r = send("GET", "/proxies/" + name + "/toxics", null, Map.of());
      expect(r, 200, "list toxics of " + name);
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
      while (m.find()) {
        send("DELETE", "/proxies/" + name + "/toxics/" + m.group(1), null, Map.of());
      }
      return this;
    }

    /** Deletes the proxy. */
    @Override
    public void close() {
      send("DELETE", "/proxies/" + name, null, Map.of());
    }
  }
}
