package org.nexusreussite.secrets.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Wraps the Azure SDK's HTTP client so that each request has a total deadline (connect, headers and the whole
 * body) and a bounded body. Why: the JDK client's timeouts that azure-core sets are per read, so a server that
 * drips one byte at a time never trips them (measured: the drip hung a read past 90 s), and azure-core buffers
 * whole bodies without a limit. The body is collected here up to the cap and handed on buffered; past the
 * deadline or the cap the exchange is cancelled, which closes the connection. Thread-safe.
 */
final class BoundedHttpClient implements HttpClient {
  /**
   * A request did not complete within its deadline (the request's, or what was left of the call's); not retried,
   * since a retry would wait as long again, or there is no time left for one.
   */
  static final class DeadlineExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Duration deadline;
    /** The setting that bounded it: {@link AzureBackendProvider#TIMEOUT} or {@link AzureBackendProvider#CALL_TIMEOUT}. */
    final String setting;

    DeadlineExceeded(Duration deadline, String setting) {
      super("no complete answer within " + deadline.toMillis() + " ms (" + setting + ")");
      this.deadline = deadline;
      this.setting = setting;
    }
  }

  /** An answer was larger than the cap; the rest was not read. */
  static final class AnswerTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int cap;

    AnswerTooLarge(int cap) {
      super("answer larger than " + cap + " bytes");
      this.cap = cap;
    }
  }

  private final HttpClient inner;
  private final Duration deadline;
  private final int maxBytes;

  BoundedHttpClient(HttpClient inner, Duration deadline, int maxBytes) {
    this.inner = inner;
    this.deadline = deadline;
    this.maxBytes = maxBytes;
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request) {
    return send(request, Context.NONE);
  }

  /**
   * Sends with a deadline of the request's timeout or the time left of the call's deadline ({@link CallDeadline},
   * from the context), whichever is shorter; with no time left the request is not sent at all.
   */
  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    CallDeadline call = CallDeadline.of(context);
    Duration limit = deadline;
    java.util.function.Supplier<DeadlineExceeded> onTimeout =
        () -> new DeadlineExceeded(deadline, AzureBackendProvider.TIMEOUT);
    if (call != null) {
      long left = call.remainingNanos();
      java.util.function.Supplier<DeadlineExceeded> callPassed =
          () -> new DeadlineExceeded(call.timeout(), AzureBackendProvider.CALL_TIMEOUT);
      if (left <= 0) {
        return Mono.error(callPassed.get());
      }
      if (left < deadline.toNanos()) {
        limit = Duration.ofNanos(left);
        onTimeout = callPassed;
      }
    }
    java.util.function.Supplier<DeadlineExceeded> timedOut = onTimeout;
    return inner.send(request, context)
        .flatMap(this::buffered)
        .timeout(limit, Mono.error(timedOut))
        // the JDK client's own timeouts are set to the request's deadline too, and its HttpTimeoutException (an
        // IOException, which azure-core retries) can win the race against the timer above: a stalled answer
        // could then take two full deadlines (seen: 4.05 s against 2 s). Either way this attempt's time ran out,
        // so it ends like the timer's, and is not retried.
        .onErrorMap(java.net.http.HttpTimeoutException.class, e -> {
          DeadlineExceeded d = timedOut.get();
          d.initCause(e);
          return d;
        });
  }

  @Override
  public HttpResponse sendSync(HttpRequest request, Context context) {
    // the async path carries the deadline and the cap; the caller's thread waits for it
    return send(request, context).block();
  }

  private Mono<HttpResponse> buffered(HttpResponse response) {
    String length = response.getHeaderValue(HttpHeaderName.CONTENT_LENGTH);
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > maxBytes) {
          response.close();
          return Mono.error(new AnswerTooLarge(maxBytes));
        }
      } catch (NumberFormatException ignored) {
        // no usable length: the count below still holds the cap
      }
    }
    return response.getBody()
        .collect(ByteArrayOutputStream::new, (out, buffer) -> {
          if (out.size() + (long) buffer.remaining() > maxBytes) {
            throw new AnswerTooLarge(maxBytes); // cancels the body, so nothing past the cap is read
          }
          byte[] chunk = new byte[buffer.remaining()];
          buffer.get(chunk);
          out.write(chunk, 0, chunk.length);
        })
        .map(out -> (HttpResponse) new Buffered(response, out.toByteArray()));
  }

  /** A response whose body is already read. */
  private static final class Buffered extends HttpResponse {
    private final HttpResponse origin;
    private final byte[] body;

    Buffered(HttpResponse origin, byte[] body) {
      super(origin.getRequest());
      this.origin = origin;
      this.body = body;
    }

    @Override
    public int getStatusCode() {
      return origin.getStatusCode();
    }

    @Override
    @Deprecated
    public String getHeaderValue(String name) {
      return origin.getHeaders().getValue(HttpHeaderName.fromString(name));
    }

    @Override
    public String getHeaderValue(HttpHeaderName name) {
      return origin.getHeaders().getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return origin.getHeaders();
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.defer(() -> Flux.just(ByteBuffer.wrap(body).asReadOnlyBuffer()));
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.fromSupplier(body::clone);
    }

    @Override
    public BinaryData getBodyAsBinaryData() {
      return BinaryData.fromBytes(body);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return Mono.fromSupplier(() -> new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.fromSupplier(() -> new String(body, charset));
    }

    @Override
    public HttpResponse buffer() {
      return this;
    }

    @Override
    public void close() {
      origin.close();
    }
  }
}
