package org.nexusreussite.secrets.buildsupport.fault;

import org.jspecify.annotations.Nullable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, as a stuck proxy, a half-open connection or
 * a hostile store would: it sends the headers and part of the body and then goes silent, drips one byte at a
 * time, or streams an endless body. Routes match the request line ({@code GET /v1/secret/data/app}); the first
 * route that matches answers, unmatched requests get 404. Optionally over TLS (for the Azure client, which refuses
 * plain HTTP). Every connection runs on its own daemon thread; {@link #close()} closes them all. Thread-safe.
 *
 * <p>Why not WireMock's faults: it has no "stall after part of the body" nor an endless body, and its drip
 * ({@code chunkedDribbleDelay}) spreads a known body over a fixed total time.
 */
public final class MisbehavingHttpServer implements AutoCloseable {
  /** What the server does with a matched request. */
  public sealed interface Behaviour permits Answer, Stall, Drip, Silent, Endless {}

  /** A normal answer, with extra headers. */
  public record Answer(int status, String contentType, String body, Map<String, String> headers)
      implements Behaviour {
    /** A normal answer. */
    public Answer(int status, String contentType, String body) {
      this(status, contentType, body, Map.of());
    }
  }

  /** Headers (declaring {@code declaredLength}) and {@code partialBody}, then silence until closed. */
  public record Stall(int status, String partialBody, int declaredLength) implements Behaviour {}

  /** Headers, then {@code body} one byte every {@code every}. */
  public record Drip(int status, String body, Duration every) implements Behaviour {}

  /** Reads the request and never answers, not even a status line (an upgrade nobody completes, a wedged proxy). */
  public record Silent() implements Behaviour {}

  /** Headers without a length, then {@code prefix} and filler bytes until {@code totalBytes} or the client leaves. */
  public record Endless(int status, String prefix, long totalBytes, boolean declareLength) implements Behaviour {}

  private record Route(Predicate<String> head, Behaviour behaviour) {}

  private final ServerSocket server;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong bodyBytesWritten = new AtomicLong();
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final boolean tls;
  private volatile boolean closed;

  private MisbehavingHttpServer(ServerSocket server, boolean tls) {
    this.server = server;
    this.tls = tls;
    Thread acceptor = new Thread(this::acceptLoop, "misbehaving-http-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A plain HTTP server on a free loopback port. */
  public static MisbehavingHttpServer http() throws IOException {
    return new MisbehavingHttpServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
  }

  /** An HTTPS server on a free loopback port, with the key material of {@code context}. */
  public static MisbehavingHttpServer https(SSLContext context) throws IOException {
    return new MisbehavingHttpServer(context.getServerSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress()), true);
  }

  /** {@code http://127.0.0.1:<port>} (or https). */
  public String address() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + server.getLocalPort();
  }

  /** The port. */
  public int port() {
    return server.getLocalPort();
  }

  /** Adds a route matching the request line without the protocol ({@code GET /x?y}); earlier routes win. */
  public MisbehavingHttpServer on(Predicate<String> requestLine, Behaviour behaviour) {
    routes.add(new Route(head -> requestLine.test(requestLineOf(head)), behaviour));
    return this;
  }

  /**
   * Adds a route matching the whole request head (request line and headers, CRLF-separated, header names as
   * the client sent them); earlier routes win.
   */
  public MisbehavingHttpServer onHead(Predicate<String> head, Behaviour behaviour) {
    routes.add(new Route(head, behaviour));
    return this;
  }

  private static String requestLineOf(String head) {
    String line = head.lines().findFirst().orElse("");
    return line.contains(" HTTP/") ? line.substring(0, line.lastIndexOf(" HTTP/")) : line;
  }

  /** Removes all routes. */
  public void clearRoutes() {
    routes.clear();
  }

  /** Body bytes the server managed to write so far (for "the client stopped reading at the cap"). */
  public long bodyBytesWritten() {
    return bodyBytesWritten.get();
  }

  /** Request lines received, in order. */
  public List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        open.add(s);
        Thread t = new Thread(() -> serve(s), "misbehaving-http-" + s.getPort());
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      while (!closed) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String line = head.lines().findFirst().orElse("");
        requestLines.add(line);
        skipBody(in, head);
        Behaviour b = routes.stream().filter(r -> r.head().test(head)).map(Route::behaviour)
            .findFirst().orElse(new Answer(404, "application/json", "{\"errors\":[]}"));
        if (!behave(b, s, out)) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client left or the server closed: nothing to report, this is the point of the fixture
    } finally {
      open.remove(s);
    }
  }

  /** Returns whether the connection can serve another request. */
  private boolean behave(Behaviour b, Socket s, OutputStream out) throws IOException, InterruptedException {
    if (b instanceof Answer a) {
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      out.write(headers(a.status(), a.contentType(), body.length, false, a.headers()));
      out.write(body);
      out.flush();
      bodyBytesWritten.addAndGet(body.length);
      return true;
    }
    if (b instanceof Silent) {
      waitForClientToLeave(s);
      return false;
    }
    if (b instanceof Stall st) {
      byte[] part = st.partialBody().getBytes(StandardCharsets.UTF_8);
      out.write(headers(st.status(), "application/json", st.declaredLength(), false));
      out.write(part);
      out.flush();
      bodyBytesWritten.addAndGet(part.length);
      waitForClientToLeave(s);
      return false;
    }
    if (b instanceof Drip d) {
      byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
      out.write(headers(d.status(), "application/json", body.length, false));
      out.flush();
      for (byte x : body) {
        if (closed) {
          return false;
        }
        Thread.sleep(d.every().toMillis());
        out.write(x);
        out.flush();
        bodyBytesWritten.incrementAndGet();
      }
      return true;
    }
    Endless e = (Endless) b;
    byte[] prefix = e.prefix().getBytes(StandardCharsets.UTF_8);
    out.write(headers(e.status(), "application/json", e.declareLength() ? e.totalBytes() : -1, true));
    out.write(prefix);
    bodyBytesWritten.addAndGet(prefix.length);
    byte[] filler = new byte[64 * 1024];
    java.util.Arrays.fill(filler, (byte) 'a');
    long left = e.totalBytes() - prefix.length;
    while (left > 0 && !closed) {
      int n = (int) Math.min(filler.length, left);
      out.write(filler, 0, n);
      bodyBytesWritten.addAndGet(n);
      left -= n;
    }
    out.flush();
    return false;
  }

  /** Silent until the client gives up (end of stream) or the server closes. */
  private void waitForClientToLeave(Socket s) throws IOException {
    s.setSoTimeout(50);
    InputStream in = s.getInputStream();
    while (!closed) {
      try {
        if (in.read() < 0) {
          return;
        }
      } catch (java.net.SocketTimeoutException e) {
        // still there: keep silent
      }
    }
  }

  private static byte[] headers(int status, String contentType, long length, boolean close) {
    return headers(status, contentType, length, close, Map.of());
  }

  private static byte[] headers(int status, String contentType, long length, boolean close,
      Map<String, String> extra) {
    StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
        .append("\r\nContent-Type: ").append(contentType).append("\r\n");
    extra.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    if (length >= 0) {
      sb.append("Content-Length: ").append(length).append("\r\n");
    }
    if (close || length < 0) {
      sb.append("Connection: close\r\n");
    }
    return sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      default -> "Status";
    };
  }

  private static @Nullable String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (true) {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      head.write(c);
      matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
      if (head.size() > 64 * 1024) {
        throw new IOException("request head too long");
      }
    }
  }

  private static void skipBody(InputStream in, String head) throws IOException {
    for (String h : head.split("\r\n")) {
      if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        long n = Long.parseLong(h.substring(15).strip());
        while (n > 0) {
          long k = in.skip(n);
          if (k <= 0) {
            if (in.read() < 0) {
              return;
            }
            k = 1;
          }
          n -= k;
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing: nothing else to do
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing else to do
      }
    }
  }
}
