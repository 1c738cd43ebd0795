package org.nexusreussite.secrets.spi.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * A {@code java.net.http} body handler for backends that talk to their store over the JDK client: it collects
 * the body up to a cap, refuses at once an answer whose declared length is above it, and lets the caller
 * {@link #cancel()} the body in flight when its deadline passes, which closes the connection.
 *
 * <p>Why: the JDK client's request timeout bounds the time to the response headers only, so a server that
 * stalls or drips after them holds a blocking {@code send} forever. Use it with {@code sendAsync} and a timed
 * wait on the future; on the deadline cancel both the future and this handler. A handler serves one exchange.
 * Thread-safe.
 */
public final class BoundedBodyHandler implements HttpResponse.BodyHandler<byte[]> {

  /** The answer was larger than the cap; nothing past the cap was read. */
  public static final class AnswerTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    private final int cap;

    AnswerTooLarge(int cap) {
      super("answer larger than " + cap + " bytes");
      this.cap = cap;
    }

    /** The cap that was passed, in bytes. */
    public int cap() {
      return cap;
    }
  }

  private final int max;
  private volatile Flow.@Nullable Subscription subscription;
  private volatile boolean cancelled;

  /** A handler that reads at most {@code maxBytes} of one body. */
  public BoundedBodyHandler(int maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.max = maxBytes;
  }

  /** Stops the body in flight (or refuses it when it has not started); its future fails. */
  public void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
    return new HttpResponse.BodySubscriber<>() {
      private final CompletableFuture<byte[]> result = new CompletableFuture<>();
      private final ByteArrayOutputStream out = new ByteArrayOutputStream();

      @Override
      public CompletionStage<byte[]> getBody() {
        return result;
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
          s.cancel();
          result.completeExceptionally(new IOException("cancelled at the deadline"));
        } else if (declared > max) {
          s.cancel();
          result.completeExceptionally(new AnswerTooLarge(max));
        } else {
          s.request(Long.MAX_VALUE);
        }
      }

      @Override
      public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
          return;
        }
        for (ByteBuffer b : buffers) {
          if (out.size() + (long) b.remaining() > max) {
            // onSubscribe precedes onNext (Flow's contract), so the subscription is set here
            Objects.requireNonNull(subscription, "subscription").cancel();
            result.completeExceptionally(new AnswerTooLarge(max));
            return;
          }
          byte[] chunk = new byte[b.remaining()];
          b.get(chunk);
          out.write(chunk, 0, chunk.length);
        }
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        result.complete(out.toByteArray());
      }
    };
  }
}
