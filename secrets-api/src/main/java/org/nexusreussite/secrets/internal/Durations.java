package org.nexusreussite.secrets.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 250ms} and ISO-8601 durations of at most
 * {@link #MAX} (about 100 years), so that every parsed duration converts to nanoseconds without overflow.
 */
public final class Durations {
  /** The longest duration a setting may hold; longer ones (found by fuzzing) overflowed in toNanos(). */
  public static final Duration MAX = Duration.ofDays(36_525);
  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** The duration, or empty when the text is not one, is negative or is longer than {@link #MAX}. */
  public static Optional<Duration> parse(String text) {
    return parseUnbounded(text).filter(d -> d.compareTo(MAX) <= 0);
  }

  private static Optional<Duration> parseUnbounded(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Optional.of(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      });
    }
    if (t.startsWith("p") || t.startsWith("-p")) {
      try {
        Duration d = Duration.parse(text.strip());
        return d.isNegative() ? Optional.empty() : Optional.of(d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** {@code 5m}, {@code 30s}, {@code 1h30m}: for messages and describe(). */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return d.toMillis() + "ms";
    }
    long s = d.getSeconds();
    StringBuilder sb = new StringBuilder();
    if (s >= 86400) {
      sb.append(s / 86400).append('d');
      s %= 86400;
    }
    if (s >= 3600) {
      sb.append(s / 3600).append('h');
      s %= 3600;
    }
    if (s >= 60) {
      sb.append(s / 60).append('m');
      s %= 60;
    }
    if (s > 0) {
      sb.append(s).append('s');
    }
    return sb.toString();
  }
}
