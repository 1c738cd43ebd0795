package org.nexusreussite.secrets.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.spi.support.BoundedBodyHandler;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The AWS SDK's HTTP transport, on {@code java.net.http}, with a total deadline per attempt (connect, headers
 * and the whole body) and a cap on the answer's size.
 *
 * <p>Why not the SDK's {@code UrlConnectionHttpClient}: its socket timeout is per read, so a server that drips
 * one byte at a time never trips it, and the SDK's attempt timeout aborts it with
 * {@code HttpURLConnection.disconnect()}, which for a small keep-alive body hands the stream to a cleaner instead
 * of closing the socket: the reading thread stayed blocked (measured: a dripped answer held a call past its
 * deadline). Here the exchange is asynchronous and the caller waits with a deadline; past it, or past the cap,
 * the exchange and its body subscription are cancelled, which closes the connection. Bodies are read whole (the
 * SDK does so anyway to parse them), within the cap. Thread-safe.
 */
final class BoundedHttpClient implements SdkHttpClient {
  /** An answer was larger than the cap; not an I/O error, so the SDK does not retry it. */
  static final class AnswerTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int cap;

    AnswerTooLarge(int cap) {
      super("answer larger than " + cap + " bytes");
      this.cap = cap;
    }
  }

  /** An attempt passed its deadline; not an I/O error, so the SDK does not wait as long again. */
  static final class AttemptDeadlineExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Duration deadline;

    AttemptDeadlineExceeded(Duration deadline) {
      super("no complete answer within " + deadline.toMillis() + " ms");
      this.deadline = deadline;
    }
  }

  // java.net.http sets these itself and refuses them from callers
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect",
      "upgrade");

  private final HttpClient client;
  private final Duration deadline;
  private final int maxBytes;

  BoundedHttpClient(Duration connectTimeout, Duration deadline, int maxBytes) {
    this.client = HttpClient.newBuilder()
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.deadline = deadline;
    this.maxBytes = maxBytes;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new Exchange(request);
  }

  @Override
  public String clientName() {
    return "NexusSecretsBoundedJdk";
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads are daemons and end with it
  }

  private final class Exchange implements ExecutableHttpRequest {
    private final HttpExecuteRequest request;
    private final BoundedBodyHandler body = new BoundedBodyHandler(maxBytes);
    private volatile @Nullable CompletableFuture<HttpResponse<byte[]>> future;

    Exchange(HttpExecuteRequest request) {
      this.request = request;
    }

    @Override
    public HttpExecuteResponse call() throws IOException {
      long end = System.nanoTime() + deadline.toNanos();
      CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(jdkRequest(), body);
      future = f;
      try {
        HttpResponse<byte[]> r = f.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        SdkHttpFullResponse.Builder response = SdkHttpFullResponse.builder().statusCode(r.statusCode());
        r.headers().map().forEach((name, values) -> {
          if (!name.startsWith(":")) {
            response.putHeader(name, values);
          }
        });
        return HttpExecuteResponse.builder()
            .response(response.build())
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(r.body())))
            .build();
      } catch (TimeoutException e) {
        abort();
        throw wrapped(new AttemptDeadlineExceeded(deadline));
      } catch (InterruptedException e) {
        abort();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for AWS Secrets Manager", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof BoundedBodyHandler.AnswerTooLarge a) {
          throw wrapped(new AnswerTooLarge(a.cap()));
        }
        if (cause instanceof IOException io) {
          throw io;
        }
        throw new IOException("the HTTP exchange failed with " + cause.getClass().getSimpleName(), cause);
      }
    }

    /** In the SDK's own type, as the SDK passes a transport's unchecked exceptions on unwrapped. */
    private SdkClientException wrapped(RuntimeException e) {
      return SdkClientException.builder().message(e.getMessage()).cause(e).build();
    }

    @Override
    public void abort() {
      CompletableFuture<HttpResponse<byte[]>> f = future;
      if (f != null) {
        f.cancel(true);
      }
      body.cancel();
    }

    private HttpRequest jdkRequest() throws IOException {
      SdkHttpRequest r = request.httpRequest();
      byte[] content = new byte[0];
      if (request.contentStreamProvider().isPresent()) {
        try (InputStream in = request.contentStreamProvider().get().newStream()) {
          content = in.readAllBytes();
        }
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(r.getUri())
          .timeout(deadline)
          .method(r.method().name(), content.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(content));
      r.forEachHeader((name, values) -> {
        if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> b.header(name, v));
        }
      });
      return b.build();
    }
  }

}
