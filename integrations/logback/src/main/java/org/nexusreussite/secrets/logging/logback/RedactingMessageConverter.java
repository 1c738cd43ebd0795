package org.nexusreussite.secrets.logging.logback;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * {@code %msg} with every served secret value replaced by {@code [secret:KEY]}: the formatted message,
 * arguments included. Register it in place of the built-in words:
 *
 * <pre>{@code
 * <conversionRule conversionWord="msg" converterClass="org.nexusreussite.secrets.logging.logback.RedactingMessageConverter"/>
 * }</pre>
 *
 * <p>A message without a value costs one scan and allocates nothing more than {@code %msg}. Thread-safe
 * as Logback requires of converters.
 */
public class RedactingMessageConverter extends MessageConverter {
  /** Created by Logback from the configuration. */
  public RedactingMessageConverter() {}

  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.redactor().redact(super.convert(event));
  }
}
