package org.nexusreussite.secrets.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny local HTTP server speaking the AWS JSON 1.1 protocol's error shapes, for failures moto does not
 * produce (throttling, access denied, KMS decryption, bad credentials). Each operation
 * ({@code X-Amz-Target: secretsmanager.GetSecretValue}) is given a canned status and body.
 */
final class FakeAwsServer implements AutoCloseable {
  private record Reply(int status, String errorType, String body) {}

  private final HttpServer server;
  private final Map<String, Reply> replies = new ConcurrentHashMap<>();
  private final List<String> operations = new CopyOnWriteArrayList<>();

  FakeAwsServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code operation} with an AWS error of {@code type}. */
  FakeAwsServer error(String operation, int status, String type, String message) {
    replies.put(operation, new Reply(status, type,
        "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}"));
    return this;
  }

  /** Answers {@code operation} with 200 and {@code json}. */
  FakeAwsServer ok(String operation, String json) {
    replies.put(operation, new Reply(200, null, json));
    return this;
  }

  /** The operations received, retries included, in order. */
  List<String> operations() {
    return List.copyOf(operations);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String operation = target == null ? "?" : target.substring(target.indexOf('.') + 1);
      operations.add(operation);
      Reply reply = replies.getOrDefault(operation, new Reply(400, "UnknownOperationException",
          "{\"__type\":\"UnknownOperationException\"}"));
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      exchange.getResponseHeaders().add("x-amzn-RequestId", "test-request");
      if (reply.errorType() != null) {
        exchange.getResponseHeaders().add("x-amzn-ErrorType", reply.errorType());
      }
      exchange.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
