package org.nexusreussite.secrets.logging.logback;

import ch.qos.logback.classic.pattern.MDCConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * {@code %X} / {@code %mdc} (one key, or the whole map) with every served secret value replaced by
 * {@code [secret:KEY]}.
 *
 * <pre>{@code
 * <conversionRule conversionWord="X" converterClass="org.nexusreussite.secrets.logging.logback.RedactingMdcConverter"/>
 * }</pre>
 */
public class RedactingMdcConverter extends MDCConverter {
  /** Created by Logback from the configuration. */
  public RedactingMdcConverter() {}

  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.redactor().redact(super.convert(event));
  }
}
