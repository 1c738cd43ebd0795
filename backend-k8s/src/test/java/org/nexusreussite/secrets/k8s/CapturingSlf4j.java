package org.nexusreussite.secrets.k8s;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J backend of this module's tests: silent, except for loggers a test turns to TRACE, whose
 * lines it keeps. Levels are looked up at each call (not fixed when a logger is created, as in
 * slf4j-simple), so a test can turn fabric8's HTTP logger on whatever ran before it in the same JVM.
 */
public final class CapturingSlf4j implements SLF4JServiceProvider {
  private static final Set<String> TRACED = ConcurrentHashMap.newKeySet();
  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  private final ILoggerFactory loggers = CapturingLogger::new;
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Turns {@code loggerName} to TRACE (and every level above) and keeps its lines. */
  static void trace(String loggerName) {
    TRACED.add(loggerName);
  }

  /** Turns every logger off again. */
  static void reset() {
    TRACED.clear();
  }

  /** The lines kept since the last call, removed. */
  static String drain() {
    StringBuilder sb = new StringBuilder();
    String line;
    while ((line = LINES.poll()) != null) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    private boolean on() {
      return TRACED.contains(name);
    }

    @Override
    public boolean isTraceEnabled() {
      return on();
    }

    @Override
    public boolean isDebugEnabled() {
      return on();
    }

    @Override
    public boolean isInfoEnabled() {
      return on();
    }

    @Override
    public boolean isWarnEnabled() {
      return on();
    }

    @Override
    public boolean isErrorEnabled() {
      return on();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
        Object[] arguments, Throwable throwable) {
      LINES.add(level + " " + name + " " + MessageFormatter.basicArrayFormat(messagePattern, arguments));
    }
  }
}
