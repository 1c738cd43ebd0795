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
  /** A request did not complete within the deadline; not retried, since a retry would wait as long again. */
  static final class DeadlineExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Duration deadline;

    DeadlineExceeded(Duration deadline) {
      super("no complete answer within " + deadline.toMillis() + " ms");
      this.deadline = deadline;
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

  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    return inner.send(request, context)
        .flatMap(this::buffered)
        .timeout(deadline, Mono.error(() -> new DeadlineExceeded(deadline)));
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
