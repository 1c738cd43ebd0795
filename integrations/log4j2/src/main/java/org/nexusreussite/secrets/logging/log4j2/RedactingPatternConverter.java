package org.nexusreussite.secrets.logging.log4j2;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.PatternParser;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * {@code %redact{pattern}}: formats the nested pattern, then replaces every served secret value in what
 * it wrote with {@code [secret:KEY]}. Wrap the whole line so that message, arguments, exceptions
 * (messages and causes), MDC ({@code %X}) and everything else pass through it:
 *
 * <pre>{@code
 * <PatternLayout pattern="%redact{%d %-5level %logger{36} %X - %msg%n%ex}"/>
 * }</pre>
 *
 * <p>When the nested pattern prints no exception, {@code %xEx} is appended inside it, as Log4j's
 * {@code alwaysWriteExceptions} would, so that the exception Log4j would add outside is redacted too.
 * Formats in place into Log4j's buffer: a line without a value costs one scan and no allocation.
 */
@Plugin(name = "SecretRedactingPatternConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"redact"})
public final class RedactingPatternConverter extends LogEventPatternConverter {
  private final PatternFormatter[] formatters;

  private RedactingPatternConverter(List<PatternFormatter> formatters) {
    super("redact", "redact");
    this.formatters = formatters.toArray(PatternFormatter.EMPTY_ARRAY);
  }

  /**
   * Called by Log4j with the converter's options: the nested pattern.
   *
   * @throws IllegalArgumentException when no nested pattern is given (Log4j reports it with the layout)
   */
  public static RedactingPatternConverter newInstance(Configuration config, String @Nullable [] options) {
    if (options == null || options.length != 1 || options[0] == null || options[0].isEmpty()) {
      throw new IllegalArgumentException("%redact needs the pattern to redact, as in %redact{%d %-5level %msg%n}");
    }
    PatternParser parser = PatternLayout.createPatternParser(config);
    return new RedactingPatternConverter(parser.parse(options[0], true, false, true));
  }

  @Override
  public void format(LogEvent event, StringBuilder toAppendTo) {
    int start = toAppendTo.length();
    for (PatternFormatter f : formatters) {
      f.format(event, toAppendTo);
    }
    LogRedaction.redactor().redact(toAppendTo, start);
  }

  /** True: the nested pattern prints the exception (appended when missing), so Log4j adds none outside. */
  @Override
  public boolean handlesThrowable() {
    return true;
  }
}
