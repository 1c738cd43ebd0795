package org.nexusreussite.secrets.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.logging.SecretRedactor;

/**
 * Routes the SDK's log records ({@code org.nexusreussite.secrets} and below, {@link System.Logger}s that
 * {@link CliLoggerFinder} hands out) to the CLI's stderr as {@code secrets: warning: ...} lines, and keeps the
 * warnings so {@code doctor} can report them. The SDK guarantees its messages carry no values; as a second line
 * of defence, values served by the resolver the command opened ({@link #follow}) are replaced by
 * {@code [secret:KEY]} in what is printed and kept. Installed for one run and removed by {@link #close()}; a run
 * inside another (tests) is the one written to until it closes, whichever closes first.
 */
final class SdkLog implements AutoCloseable {
  /** The logs of the commands running, innermost last; a log leaves it when it closes, in whatever order. */
  private static final List<SdkLog> RUNNING = new CopyOnWriteArrayList<>();

  private final PrintStream err;
  private final boolean debug;
  private final List<String> warnings = new ArrayList<>();
  private volatile boolean print;
  private volatile Predicate<String> suppress = m -> false;
  private volatile @Nullable SecretResolver followed;
  // attached on the first printed line, so a run that prints nothing loads none of the redaction classes
  private @Nullable SecretRedactor redactor;
  private @Nullable SecretResolver redacting;
  private boolean attaching;

  SdkLog(PrintStream err, boolean debug) {
    this.err = err;
    this.debug = debug;
    this.print = true;
    RUNNING.add(this);
  }

  /** The log of the command that runs (the innermost, when one runs inside another), if any. */
  static @Nullable SdkLog running() {
    List<SdkLog> logs = RUNNING;
    int last = logs.size() - 1;
    try {
      return last < 0 ? null : logs.get(last);
    } catch (IndexOutOfBoundsException e) {
      return null; // it closed meanwhile
    }
  }

  /** Warnings and above always (they are kept for {@code doctor}); the rest with {@code --debug}. */
  boolean enabled(System.Logger.Level level) {
    return level != System.Logger.Level.OFF
        && (debug || level.getSeverity() >= System.Logger.Level.WARNING.getSeverity());
  }

  /** One record of the SDK's, its message formatted. */
  void publish(System.Logger.Level level, String loggerName, String formatted) {
    String message = redact(formatted);
    boolean warning = level.getSeverity() >= System.Logger.Level.WARNING.getSeverity();
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
      err.println("secrets: " + julName(level) + ": " + loggerName + ": " + message);
    }
  }

  /** The level's name as {@code java.util.logging} printed it before (fine, finer, info), lower case. */
  private static String julName(System.Logger.Level level) {
    return switch (level) {
      case TRACE -> "finer";
      case DEBUG -> "fine";
      default -> level.getName().toLowerCase(Locale.ROOT);
    };
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
    RUNNING.remove(this);
  }
}
