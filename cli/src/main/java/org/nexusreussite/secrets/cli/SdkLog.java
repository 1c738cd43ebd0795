package org.nexusreussite.secrets.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Routes the SDK's log records ({@code org.nexusreussite.secrets} and below, through
 * {@code java.util.logging}, the default {@link System.Logger} backend) to the CLI's stderr as
 * {@code secrets: warning: ...} lines, and keeps the warnings so {@code doctor} can report them. The SDK
 * guarantees its messages carry no values. Installed for one run and removed by {@link #close()}.
 */
final class SdkLog implements AutoCloseable {
  private static final String ROOT = "org.nexusreussite.secrets";

  // a strong reference: java.util.logging holds loggers weakly and would drop the configuration
  private final Logger logger = Logger.getLogger(ROOT);
  private final Level previousLevel;
  private final boolean previousUseParent;
  private final Handler handler;
  private final List<String> warnings = new ArrayList<>();
  private volatile boolean print;
  private volatile Predicate<String> suppress = m -> false;

  SdkLog(PrintStream err, boolean debug) {
    this.previousLevel = logger.getLevel();
    this.previousUseParent = logger.getUseParentHandlers();
    this.print = true;
    SimpleFormatter formatter = new SimpleFormatter();
    this.handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = formatter.formatMessage(record);
        boolean warning = record.getLevel().intValue() >= Level.WARNING.intValue();
        if (warning) {
          synchronized (warnings) {
            if (!warnings.contains(message)) {
              warnings.add(message);
            }
          }
        }
        if (suppress.test(message)) {
          return;
        }
        if (warning && print) {
          err.println("secrets: warning: " + message);
        } else if (!warning && debug) {
          err.println("secrets: " + record.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
              + record.getLoggerName() + ": " + message);
        }
      }

      @Override
      public void flush() {
        err.flush();
      }

      @Override
      public void close() {
        flush();
      }
    };
    handler.setLevel(Level.ALL);
    logger.setLevel(debug ? Level.ALL : Level.WARNING);
    logger.setUseParentHandlers(false);
    logger.addHandler(handler);
  }

  /** Keeps warnings for a report instead of printing them. */
  void collectOnly() {
    print = false;
  }

  /** Does not print messages matching {@code filter} (they are still collected). */
  void suppress(Predicate<String> filter) {
    suppress = filter;
  }

  /** Warnings logged so far, in order, without duplicates. */
  List<String> warnings() {
    synchronized (warnings) {
      return new ArrayList<>(warnings);
    }
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
    logger.setUseParentHandlers(previousUseParent);
  }
}
