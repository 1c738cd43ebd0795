package org.nexusreussite.secrets.cli;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The CLI's {@link System.LoggerFinder} (registered in {@code META-INF/services}): the SDK's loggers
 * ({@code org.nexusreussite.secrets} and below) write to the running command's {@link SdkLog}; every other
 * logger, and the SDK's when no command runs, is {@code java.util.logging}'s, as without this finder. A command
 * that logs nothing thus never sets up {@code java.util.logging}, whose first use (reading its configuration,
 * the JDK's first string-concatenation and lambda bootstraps) cost 20 to 30 ms of every {@code secrets get}, all
 * of it for the SDK's audit check (issue 18). Public for {@link java.util.ServiceLoader}; not an API.
 */
public final class CliLoggerFinder extends System.LoggerFinder {
  private static final String SDK = "org.nexusreussite.secrets";

  @Override
  public System.Logger getLogger(String name, Module module) {
    JulLogger jul = new JulLogger(name);
    return name.equals(SDK) || name.startsWith(SDK + ".") ? new SdkLogger(name, jul) : jul;
  }

  /** To the command's {@link SdkLog} while one runs, else to {@code java.util.logging}. */
  private static final class SdkLogger implements System.Logger {
    private final String name;
    private final JulLogger outside;

    SdkLogger(String name, JulLogger outside) {
      this.name = name;
      this.outside = outside;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      SdkLog log = SdkLog.running();
      return log != null ? log.enabled(level) : outside.isLoggable(level);
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String message,
        @Nullable Throwable thrown) {
      SdkLog log = SdkLog.running();
      if (log == null) {
        outside.log(level, bundle, message, thrown);
      } else if (log.enabled(level)) {
        log.publish(level, name, String.valueOf(message)); // as before: the CLI prints no stack trace
      }
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format,
        @Nullable Object... params) {
      SdkLog log = SdkLog.running();
      if (log == null) {
        outside.log(level, bundle, format, params);
      } else if (log.enabled(level)) {
        log.publish(level, name, format(format, params));
      }
    }

    /** As {@code java.util.logging.Formatter.formatMessage}: {@link MessageFormat} when there are parameters. */
    private static String format(@Nullable String format, @Nullable Object @Nullable [] params) {
      if (format == null) {
        return "null";
      }
      if (params == null || params.length == 0) {
        return format;
      }
      try {
        return MessageFormat.format(format, params);
      } catch (IllegalArgumentException e) {
        return format;
      }
    }
  }

  /** A {@code java.util.logging} logger, looked up on first use (that use sets {@code java.util.logging} up). */
  private static final class JulLogger implements System.Logger {
    private final String name;
    private volatile @Nullable Logger jul;

    JulLogger(String name) {
      this.name = name;
    }

    private Logger jul() {
      Logger l = jul;
      if (l == null) {
        l = Logger.getLogger(name);
        jul = l;
      }
      return l;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public boolean isLoggable(Level level) {
      return jul().isLoggable(julLevel(level));
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String message,
        @Nullable Throwable thrown) {
      java.util.logging.Level l = julLevel(level);
      if (jul().isLoggable(l)) {
        StackWalker.StackFrame caller = caller();
        jul().logrb(l, caller.getClassName(), caller.getMethodName(), bundle, message, thrown);
      }
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format,
        @Nullable Object... params) {
      java.util.logging.Level l = julLevel(level);
      if (jul().isLoggable(l)) {
        StackWalker.StackFrame caller = caller();
        jul().logrb(l, caller.getClassName(), caller.getMethodName(), bundle, format, params);
      }
    }

    /**
     * The frame that called {@link System.Logger}: java.util.logging would otherwise name this class as the
     * record's source, as the JDK's own bridge avoids too.
     */
    private static StackWalker.StackFrame caller() {
      return StackWalker.getInstance().walk(frames -> frames
          .filter(f -> !f.getClassName().startsWith(CliLoggerFinder.class.getName() + "$")
              && !f.getClassName().startsWith("java.lang.System$Logger"))
          .findFirst()).orElseThrow();
    }

    /** The mapping the JDK's own {@code java.util.logging} backend uses. */
    private static java.util.logging.Level julLevel(Level level) {
      return switch (level) {
        case ALL -> java.util.logging.Level.ALL;
        case TRACE -> java.util.logging.Level.FINER;
        case DEBUG -> java.util.logging.Level.FINE;
        case INFO -> java.util.logging.Level.INFO;
        case WARNING -> java.util.logging.Level.WARNING;
        case ERROR -> java.util.logging.Level.SEVERE;
        case OFF -> java.util.logging.Level.OFF;
      };
    }
  }
}
