package org.nexusreussite.secrets.logging.logback;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * A {@link PatternLayout} whose whole formatted line is redacted: message, arguments, exceptions
 * (Logback's appended {@code %xEx} too), MDC, thread and logger names alike. The safest choice when a
 * pattern is edited by many hands; one scan per line.
 */
public class RedactingPatternLayout extends PatternLayout {
  /** Created by Logback from the configuration, or by {@link RedactingPatternLayoutEncoder}. */
  public RedactingPatternLayout() {}

  @Override
  public String doLayout(ILoggingEvent event) {
    return LogRedaction.redactor().redact(super.doLayout(event));
  }
}
