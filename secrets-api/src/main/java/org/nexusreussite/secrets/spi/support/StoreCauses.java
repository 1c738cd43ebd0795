package org.nexusreussite.secrets.spi.support;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Scrubs exception chains before they become causes of the SDK's exceptions. Store clients' messages quote
 * what the store sent back (azure-core's {@code Status code 500, "<body>"}, the AWS SDK's {@code Unable to
 * parse date : <text>}, JSON parsers' {@code at [Source: "..."]}), and a cause is printed by any application
 * that logs stack traces. A scrubbed chain keeps each exception's type, what the backend's {@code detail}
 * function adds from typed fields (an HTTP status, an error code; never a message) and the stack trace, and
 * drops every message. Stateless and thread-safe.
 */
public final class StoreCauses {
  private static final int MAX_DEPTH = 16;

  private StoreCauses() {}

  /** A copy of {@code e}'s chain without messages. */
  public static Throwable scrub(Throwable e) {
    return scrub(e, t -> "");
  }

  /**
   * A copy of {@code e}'s chain without messages, each link described by its type and by {@code detail}
   * (e.g. {@code " (HTTP 500)"}), which must not return text the store sent.
   */
  public static Throwable scrub(Throwable e, Function<Throwable, String> detail) {
    Objects.requireNonNull(detail, "detail");
    // null only for a null argument or beyond MAX_DEPTH, neither of which applies at depth 0
    return Objects.requireNonNull(scrub(Objects.requireNonNull(e, "e"), detail, 0), "scrub");
  }

  private static @Nullable Throwable scrub(@Nullable Throwable e, Function<Throwable, String> detail, int depth) {
    if (e == null || depth >= MAX_DEPTH) {
      return null;
    }
    Throwable next = e.getCause() == e ? null : e.getCause();
    Withheld w = new Withheld(e.getClass().getName() + detail.apply(e)
        + ": message withheld, it may quote the store's answer", scrub(next, detail, depth + 1));
    w.setStackTrace(e.getStackTrace());
    return w;
  }

  /** Stands for a scrubbed exception of the type its message names. */
  public static final class Withheld extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Withheld(String message, @Nullable Throwable cause) {
      super(message, cause, false, true);
    }
  }
}
