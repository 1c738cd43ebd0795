package org.nexusreussite.secrets.logging.logback;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * {@code %ex} with every served secret value replaced by {@code [secret:KEY]}, in the whole throwable
 * text: messages of the exception, its causes and suppressed exceptions. Register it for each word the
 * pattern uses, and use one of them in the pattern: a pattern without an exception word gets Logback's
 * own {@code %xEx} appended, unredacted.
 *
 * <pre>{@code
 * <conversionRule conversionWord="ex" converterClass="org.nexusreussite.secrets.logging.logback.RedactingThrowableProxyConverter"/>
 * }</pre>
 */
public class RedactingThrowableProxyConverter extends ThrowableProxyConverter {
  /** Created by Logback from the configuration. */
  public RedactingThrowableProxyConverter() {}

  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.redactor().redact(super.convert(event));
  }
}
