package org.nexusreussite.secrets.azure;

import com.azure.core.exception.HttpResponseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Scrubs exception chains before they become causes of the SDK's exceptions. azure-core's messages quote
 * response bodies ({@code Status code 500, "<body>"}) and JSON parsers quote the text they choked on; a cause
 * is printed by any application that logs stack traces, so a scrubbed chain keeps each exception's type, HTTP
 * status and stack trace, and drops its message. Stateless and thread-safe.
 */
final class StoreCauses {
  private static final int MAX_DEPTH = 16;

  private StoreCauses() {}

  /** A copy of {@code e}'s chain without messages; never null for a non-null argument. */
  static Throwable scrub(Throwable e) {
    // null only for a null argument or beyond MAX_DEPTH, neither of which applies at depth 0
    return Objects.requireNonNull(scrub(e, 0), "scrub");
  }

  private static @Nullable Throwable scrub(@Nullable Throwable e, int depth) {
    if (e == null || depth >= MAX_DEPTH) {
      return null;
    }
    Throwable next = e.getCause() == e ? null : e.getCause();
    Withheld w = new Withheld(describe(e), scrub(next, depth + 1));
    w.setStackTrace(e.getStackTrace());
    return w;
  }

  private static String describe(Throwable e) {
    String status = e instanceof HttpResponseException h && h.getResponse() != null
        ? " (HTTP " + h.getResponse().getStatusCode() + ")" : "";
    return e.getClass().getName() + status + ": message withheld, it may quote the store's answer";
  }

  /** Stands for a scrubbed exception of the type its message names. */
  static final class Withheld extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Withheld(String message, @Nullable Throwable cause) {
      super(message, cause, false, true);
    }
  }
}
