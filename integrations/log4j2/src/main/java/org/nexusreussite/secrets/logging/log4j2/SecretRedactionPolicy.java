package org.nexusreussite.secrets.logging.log4j2;

import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.util.StringMap;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.logging.LogRedaction;
import org.nexusreussite.secrets.logging.SecretRedactor;

/**
 * A rewrite policy for layouts that {@code %redact} cannot wrap (JSON template layouts, appenders of
 * other libraries): before the event reaches the appenders, its formatted message, its context data
 * (MDC) values and its exception chain's messages have every served secret value replaced by
 * {@code [secret:KEY]}.
 *
 * <pre>{@code
 * <Rewrite name="Redacted">
 *   <SecretRedactionPolicy/>
 *   <AppenderRef ref="Json"/>
 * </Rewrite>
 * }</pre>
 *
 * <p>An event without a value passes unchanged (the same instance). A throwable with a value in a
 * message is replaced by a {@link RedactedThrowable} copy that keeps the class name, message (redacted),
 * stack frames, causes and suppressed exceptions; layouts that print the stack from the throwable
 * ({@code %ex}, {@code %xEx}, JSON) then show the redacted copy. Thread-safe and stateless.
 */
@Plugin(name = "SecretRedactionPolicy", category = Core.CATEGORY_NAME, elementType = "rewritePolicy",
    printObject = true)
public final class SecretRedactionPolicy implements RewritePolicy {
  private SecretRedactionPolicy() {}

  /** Called by Log4j for {@code <SecretRedactionPolicy/>}. */
  @PluginFactory
  public static SecretRedactionPolicy createPolicy() {
    return new SecretRedactionPolicy();
  }

  @Override
  public LogEvent rewrite(LogEvent source) {
    try {
      return redact(source);
    } catch (RuntimeException e) {
      // an event that could not be checked is not let through as it is: it might hold a value
      return new Log4jLogEvent.Builder(source)
          .setMessage(new SimpleMessage("[log event withheld: secret redaction failed with "
              + e.getClass().getName() + "]"))
          .setContextData(ContextDataFactory.createContextData())
          .setThrown(null).setThrownProxy(null).build();
    }
  }

  private static LogEvent redact(LogEvent source) {
    SecretRedactor r = LogRedaction.redactor();
    String message = source.getMessage() == null ? null : source.getMessage().getFormattedMessage();
    String redactedMessage = message == null ? null : r.redact(message);
    StringMap data = redactData(r, source.getContextData());
    Throwable thrown = source.getThrown();
    Throwable redactedThrown = thrown == null ? null : RedactedThrowable.redact(r, thrown);
    if (redactedMessage == message && data == null && redactedThrown == thrown) {
      return source;
    }
    Log4jLogEvent.Builder b = new Log4jLogEvent.Builder(source);
    if (redactedMessage != message && redactedMessage != null) {
      b.setMessage(new SimpleMessage(redactedMessage));
    }
    if (data != null) {
      b.setContextData(data);
    }
    if (redactedThrown != thrown) {
      b.setThrown(redactedThrown).setThrownProxy(null);
    }
    return b.build();
  }

  private static @Nullable StringMap redactData(SecretRedactor r, @Nullable ReadOnlyStringMap data) {
    if (data == null || data.isEmpty()) {
      return null;
    }
    boolean[] changed = new boolean[1];
    data.forEach((String k, @Nullable Object v) -> {
      if (v != null && r.containsSecret(String.valueOf(v))) {
        changed[0] = true;
      }
    });
    if (!changed[0]) {
      return null;
    }
    StringMap copy = ContextDataFactory.createContextData(data.size());
    data.forEach((String k, @Nullable Object v) -> copy.putValue(k, v == null ? null : r.redact(String.valueOf(v))));
    return copy;
  }

  @Override
  public String toString() {
    return "SecretRedactionPolicy";
  }
}
