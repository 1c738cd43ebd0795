package org.nexusreussite.secrets.vault;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A local HTTP server in front of a real OpenBao: forwards every request, records {@code "METHOD path"}
 * lines so tests can count what the backend really sent, and can run an action just before forwarding a
 * matching request (to simulate a concurrent writer) or answer some requests itself.
 */
final class RecordingProxy implements AutoCloseable {
  private static final Set<String> HOP_HEADERS = Set.of("connection", "content-length", "host", "upgrade",
      "expect", "transfer-encoding", "keep-alive");

  /** A canned answer. */
  record Answer(int status, String contentType, String body) {}

  private final HttpServer server;
  private final String target;
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<String> namespaces = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Predicate<String>, Runnable>> hooks = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Predicate<String>, java.util.function.Function<String, Answer>>> answers =
      new CopyOnWriteArrayList<>();

  /** A proxy to {@code target}; {@code null} target answers only what {@link #answer} sets, else 502. */
  RecordingProxy(String target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "recording-proxy");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}. */
  String address() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests seen so far, as {@code "GET /v1/secret/data/app"} (query left out). */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** How many requests matched. */
  long count(Predicate<String> line) {
    return requests.stream().filter(line).count();
  }

  /** The {@code X-Vault-Namespace} header of each request, empty when absent. */
  List<String> namespaces() {
    return List.copyOf(namespaces);
  }

  void clear() {
    requests.clear();
  }

  /** Runs {@code action} once, before forwarding the first request whose line matches. */
  void beforeOnce(Predicate<String> line, Runnable action) {
    boolean[] done = {false};
    hooks.add(Map.entry(l -> !done[0] && line.test(l), () -> {
      done[0] = true;
      action.run();
    }));
  }

  /** Answers matching requests itself. */
  void answer(Predicate<String> line, java.util.function.Function<String, Answer> answer) {
    answers.add(Map.entry(line, answer));
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String line = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
      requests.add(line);
      String ns = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
      namespaces.add(ns == null ? "" : ns);
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      for (Map.Entry<Predicate<String>, Runnable> hook : hooks) {
        if (hook.getKey().test(line)) {
          hook.getValue().run();
        }
      }
      for (var a : answers) {
        if (a.getKey().test(line)) {
          Answer answer = a.getValue().apply(new String(body, java.nio.charset.StandardCharsets.UTF_8));
          reply(ex, answer.status(), answer.contentType(), answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          return;
        }
      }
      if (target == null) {
        reply(ex, 502, "text/plain", "no upstream".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      }
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
          .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          values.forEach(v -> rb.header(name, v));
        }
      });
      HttpResponse<byte[]> r;
      try {
        r = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        reply(ex, 502, "text/plain", "upstream down".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      reply(ex, r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
    }
  }

  private static void reply(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
