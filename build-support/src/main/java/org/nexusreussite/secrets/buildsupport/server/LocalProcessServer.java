package org.nexusreussite.secrets.buildsupport.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A test server run as a local process on 127.0.0.1: started with a free port, awaited until its
 * readiness URL answers, stopped with its whole process tree. Its output goes to a log file whose
 * tail is put into the exception when it does not come up. Plain HTTP unless a subclass overrides
 * {@link #scheme()} and {@link #newHttpClient()} (e.g. to trust the CA of a server that serves TLS).
 */
public abstract class LocalProcessServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String name;
  private final int port;
  private @Nullable HttpClient http;
  private @Nullable Process process;
  private @Nullable Path log;

  protected LocalProcessServer(String name) {
    this.name = name;
    this.port = TestTools.freePort();
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** {@code <scheme>://127.0.0.1:<port>}, e.g. {@code http://127.0.0.1:8200}. */
  public String baseUrl() {
    return scheme() + "://127.0.0.1:" + port;
  }

  /** The URL scheme of {@link #baseUrl()}: {@code http} unless overridden. */
  protected String scheme() {
    return "http";
  }

  /**
   * The client for readiness polls and {@link #send}, built once the process runs and again after a
   * restart. Override to trust a TLS server's CA. It may throw while the server is still writing the
   * files it needs (a CA certificate, say): the readiness poll then counts it as "not ready yet".
   *
   * @throws IOException when it cannot be built yet
   */
  protected HttpClient newHttpClient() throws IOException {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  private synchronized HttpClient http() throws IOException {
    if (http == null) {
      http = newHttpClient();
    }
    return http;
  }

  /** The command line, given the port. */
  protected abstract List<String> command(int port);

  /** Extra environment for the process. */
  protected Map<String, String> environment() {
    return Map.of();
  }

  /** The path polled until it answers {@link #isReady(int)}. */
  protected abstract String readinessPath();

  /** Whether a readiness status means ready. */
  protected boolean isReady(int status) {
    return status == 200;
  }

  /**
   * Starts the process and waits until it is ready.
   *
   * @throws IllegalStateException with the log tail when it exits or does not come up in time
   */
  public synchronized LocalProcessServer start() {
    if (process != null) {
      return this;
    }
    try {
      log = Files.createTempFile("secrets-" + name + "-", ".log");
      ProcessBuilder builder = new ProcessBuilder(command(port)).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().putAll(environment());
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, name + "-shutdown"));
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    String lastProblem = "no answer yet";
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue()
            + " before it was ready. Log " + log + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> response = http().send(HttpRequest.newBuilder(URI.create(baseUrl() + readinessPath()))
            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
        if (isReady(response.statusCode())) {
          return this;
        }
        lastProblem = "status " + response.statusCode();
      } catch (IOException e) {
        lastProblem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IllegalStateException("interrupted while starting " + name, e);
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException(name + " was not ready after " + START_TIMEOUT.toSeconds() + "s ("
        + lastProblem + "). Log " + log + ":\n" + logTail());
  }

  /** The last lines of the server's output. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException | RuntimeException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Sends a request with {@code body} (JSON) and returns the response; for test setup. */
  protected HttpResponse<String> send(String method, String path, @Nullable String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    try {
      return http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(name + " " + method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the process and its children. Idempotent. */
  @Override
  public synchronized void close() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    http = null; // a restarted server may present new certificates
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "[" + baseUrl() + "]";
  }
}
