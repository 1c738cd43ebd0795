package org.nexusreussite.secrets.dotenv;

import java.text.MessageFormat;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** A hermetic context: given settings only, a fake clock, and a logger that records formatted lines. */
final class TestContext implements BackendContext {
  private final SecretsConfig config;
  private final Profile profile;
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final RecordingLogger logger = new RecordingLogger();

  TestContext(Map<String, String> settings) {
    this.config = SecretsConfig.of(settings);
    this.profile = Profile.from(config);
  }

  /** The formatted log lines, with their level, e.g. {@code WARNING .env is readable ...}. */
  List<String> logLines() {
    return logger.lines;
  }

  /** Only the WARNING lines. */
  List<String> warnings() {
    return logger.lines.stream().filter(l -> l.startsWith("WARNING ")).toList();
  }

  @Override
  public String backendId() {
    return DotenvBackendProvider.ID;
  }

  @Override
  public SecretsConfig config() {
    return config;
  }

  @Override
  public Profile profile() {
    return profile;
  }

  @Override
  public TaskScheduler scheduler() {
    return scheduler;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public System.Logger logger() {
    return logger;
  }

  static final class RecordingLogger implements System.Logger {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "org.nexusreussite.secrets.dotenv";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      String text = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
      lines.add(level + " " + text);
    }
  }
}
