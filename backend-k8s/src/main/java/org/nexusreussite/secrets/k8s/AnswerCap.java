package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the size of every answer of the Kubernetes API: fabric8 reads a Secret's JSON whole before binding it, so a
 * huge answer (a hostile proxy, a misdirected URL streaming forever) would exhaust the heap. The body stops
 * being read, and the request fails, as soon as it passes the cap. Thread-safe.
 */
final class AnswerCap implements Interceptor {
  /** An answer was larger than the cap. */
  static final class AnswerTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int cap;

    AnswerTooLarge(int cap) {
      super("answer larger than " + cap + " bytes");
      this.cap = cap;
    }
  }

  private final int maxBytes;
  // fabric8 reports a failed body as a reset stream, not with the exception thrown here: the paths whose
  // answer passed the cap are noted so the backend can say why (bounded: entries are taken or overwritten)
  private final Map<String, Boolean> overflowed = new ConcurrentHashMap<>();

  AnswerCap(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The cap, in bytes. */
  int maxBytes() {
    return maxBytes;
  }

  /** Whether an answer for {@code path} passed the cap since the last call; forgets it. */
  boolean takeOverflow(String path) {
    return overflowed.remove(path) != null;
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(AsyncBody.Consumer<List<ByteBuffer>> consumer,
      HttpRequest request) {
    return new AsyncBody.Consumer<>() {
      private long seen;

      @Override
      public void consume(List<ByteBuffer> buffers, AsyncBody body) throws Exception {
        for (ByteBuffer b : buffers) {
          seen += b.remaining();
        }
        if (seen > maxBytes) {
          if (overflowed.size() < 1024) {
            overflowed.put(request.uri().getPath(), Boolean.TRUE);
          }
          // thrown rather than body.cancel(): fabric8 then fails the request with this exception and stops
          // reading, where a cancel would report a bare CancellationException
          throw new AnswerTooLarge(maxBytes);
        }
        consumer.consume(buffers, body);
      }

      @Override
      public <U> U unwrap(Class<U> target) {
        return consumer.unwrap(target);
      }
    };
  }
}
