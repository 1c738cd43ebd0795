package org.nexusreussite.secrets.logging.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.PatternLayoutEncoderBase;

/**
 * A drop-in for Logback's {@code PatternLayoutEncoder} that redacts the whole line
 * ({@link RedactingPatternLayout}):
 *
 * <pre>{@code
 * <encoder class="org.nexusreussite.secrets.logging.logback.RedactingPatternLayoutEncoder">
 *   <pattern>%d %-5level [%thread] %logger{36} %X - %msg%n</pattern>
 * </encoder>
 * }</pre>
 */
public class RedactingPatternLayoutEncoder extends PatternLayoutEncoderBase<ILoggingEvent> {
  /** Created by Logback from the configuration. */
  public RedactingPatternLayoutEncoder() {}

  @Override
  public void start() {
    RedactingPatternLayout layout = new RedactingPatternLayout();
    layout.setContext(context);
    layout.setPattern(getPattern());
    layout.setOutputPatternAsHeader(outputPatternAsHeader);
    layout.start();
    this.layout = layout;
    super.start();
  }
}
