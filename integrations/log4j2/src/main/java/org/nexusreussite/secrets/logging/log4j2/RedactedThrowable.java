package org.nexusreussite.secrets.logging.log4j2;

import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.logging.SecretRedactor;

/**
 * A copy of a throwable whose messages had secret values: prints as the original class with the
 * redacted message, keeps its stack frames, causes and suppressed exceptions (copied the same way).
 * Serves only to be printed by a layout; never thrown.
 */
public final class RedactedThrowable extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String originalClass;

  private RedactedThrowable(String originalClass, @Nullable String message) {
    super(message); // not (message, null, ...): that fixes the cause to null, and initCause would refuse the copy
    this.originalClass = originalClass;
  }

  /** The class of the throwable this copies. */
  public String originalClass() {
    return originalClass;
  }

  @Override
  public String toString() {
    String m = getLocalizedMessage();
    return m == null ? originalClass : originalClass + ": " + m;
  }

  /** {@code t} itself when no message in its chain holds a value, else a redacted copy of the chain. */
  static Throwable redact(SecretRedactor r, Throwable t) {
    if (!holdsSecret(r, t, new IdentityHashMap<>())) {
      return t;
    }
    return copy(r, t, new IdentityHashMap<>());
  }

  private static boolean holdsSecret(SecretRedactor r, Throwable t, Map<Throwable, Boolean> seen) {
    if (seen.put(t, Boolean.TRUE) != null) {
      return false;
    }
    String m = t.getMessage();
    if (m != null && r.containsSecret(m)) {
      return true;
    }
    String s = t.toString(); // some exceptions print more than their message
    if (r.containsSecret(s)) {
      return true;
    }
    Throwable cause = t.getCause();
    if (cause != null && holdsSecret(r, cause, seen)) {
      return true;
    }
    for (Throwable x : t.getSuppressed()) {
      if (holdsSecret(r, x, seen)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable copy(SecretRedactor r, Throwable t, Map<Throwable, Throwable> done) {
    Throwable already = done.get(t);
    if (already != null) {
      return already;
    }
    String text = t.toString();
    String prefix = t.getClass().getName();
    String message = text.startsWith(prefix + ": ") ? text.substring(prefix.length() + 2)
        : text.equals(prefix) ? null : text;
    RedactedThrowable c = new RedactedThrowable(prefix, message == null ? null : r.redact(message));
    done.put(t, c);
    c.setStackTrace(t.getStackTrace());
    Throwable cause = t.getCause();
    if (cause != null && cause != t) {
      c.initCause(copy(r, cause, done));
    }
    for (Throwable x : t.getSuppressed()) {
      c.addSuppressed(copy(r, x, done));
    }
    return c;
  }
}
