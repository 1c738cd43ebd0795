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
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.logging.SecretRedactor;

/**
 * Routes the SDK's log records ({@code org.nexusreussite.secrets} and below, through
 * {@code java.util.logging}, the default {@link System.Logger} backend) to the CLI's stderr as
 * {@code secrets: warning: ...} lines, and keeps the warnings so {@code doctor} can report them. The SDK
 * guarantees its messages carry no values; as a second line of defence, values served by the resolver the
 * command opened ({@link #follow}) are replaced by {@code [secret:KEY]} in what is printed and kept.
 * Installed for one run and removed by {@link #close()}.
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
  private volatile @Nullable SecretResolver followed;
  // attached on the first printed line, so a run that prints nothing loads none of the redaction classes
  private @Nullable SecretRedactor redactor;
  private @Nullable SecretResolver redacting;
  private boolean attaching;

  SdkLog(PrintStream err, boolean debug) {
    this.previousLevel = logger.getLevel();
    this.previousUseParent = logger.getUseParentHandlers();
    this.print = true;
    SimpleFormatter formatter = new SimpleFormatter();
    this.handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        String message = redact(formatter.formatMessage(record));
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

  /** Redacts the values {@code resolver} serves from the lines printed from now on. */
  void follow(SecretResolver resolver) {
    followed = resolver;
  }

  private String redact(String message) {
    SecretResolver r = followed;
    if (r == null) {
      return message;
    }
    SecretRedactor current;
    synchronized (this) {
      if (attaching) {
        return message; // a line the attaching itself logged (a bound warning): names a key, no value
      }
      if (redactor == null || redacting != r) {
        attaching = true;
        try {
          if (redactor != null) {
            redactor.close();
          }
          redactor = SecretRedactor.attach(r);
          redacting = r;
        } catch (LinkageError e) {
          // the thin CLI jar on a class path without secrets-logging: print as before, without redaction
          followed = null;
          return message;
        } finally {
          attaching = false;
        }
      }
      current = redactor;
    }
    return current == null ? message : current.redact(message);
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
    synchronized (this) {
      if (redactor != null) {
        redactor.close();
      }
    }
    logger.removeHandler(handler);
    logger.setLevel(previousLevel);
    logger.setUseParentHandlers(previousUseParent);
  }
}
