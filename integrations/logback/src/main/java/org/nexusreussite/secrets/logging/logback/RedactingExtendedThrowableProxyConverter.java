package org.nexusreussite.secrets.logging.logback;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * {@code %xEx} (stack frames with packaging data) with every served secret value replaced by
 * {@code [secret:KEY]}; see {@link RedactingThrowableProxyConverter}.
 */
public class RedactingExtendedThrowableProxyConverter extends ExtendedThrowableProxyConverter {
  /** Created by Logback from the configuration. */
  public RedactingExtendedThrowableProxyConverter() {}

  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.redactor().redact(super.convert(event));
  }
}
