package org.nexusreussite.secrets.testkit;

import java.text.MessageFormat;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * A {@link BackendContext} for testing a provider on its own: only the given settings (never the
 * machine's environment), the profile they name, a {@link ManualClock} and {@link ManualScheduler} unless
 * others are given, and a logger that records every formatted line for assertions.
 *
 * <pre>{@code
 * TestBackendContext context = TestBackendContext.of("vault", Map.of("VAULT_ADDR", bao.address()));
 * SecretBackend backend = new VaultBackendProvider().create(context);
 * assertThat(context.warnings()).isEmpty();
 * }</pre>
 */
public final class TestBackendContext implements BackendContext {

  private final String backendId;
  private final SecretsConfig config;
  private final Profile profile;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final RecordingLogger logger;

  private TestBackendContext(String backendId, SecretsConfig config, Profile profile, TaskScheduler scheduler,
      Clock clock, RecordingLogger logger) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    this.config = Objects.requireNonNull(config, "config");
    this.profile = Objects.requireNonNull(profile, "profile");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.logger = logger;
  }

  /** A context over {@code config}, in the profile it names (else {@code development}). */
  public static TestBackendContext of(String backendId, SecretsConfig config) {
    ManualClock clock = new ManualClock();
    return new TestBackendContext(backendId, config, Profile.from(config), new ManualScheduler(clock), clock,
        new RecordingLogger("org.nexusreussite.secrets." + backendId));
  }

  /** A context over {@code settings} given as environment variables. */
  public static TestBackendContext of(String backendId, Map<String, String> settings) {
    return of(backendId, SecretsConfig.of(settings));
  }

  /** The same context in another profile, e.g. {@link Profile#production()}. */
  public TestBackendContext withProfile(Profile otherProfile) {
    return new TestBackendContext(backendId, config, otherProfile, scheduler, clock, logger);
  }

  /** The same context with another scheduler (e.g. a real one for tests that wait on renewals). */
  public TestBackendContext withScheduler(TaskScheduler otherScheduler) {
    return new TestBackendContext(backendId, config, profile, otherScheduler, clock, logger);
  }

  /** The same context with another clock. */
  public TestBackendContext withClock(Clock otherClock) {
    return new TestBackendContext(backendId, config, profile, scheduler, otherClock, logger);
  }

  /** Every line logged through {@link #logger()}, as {@code LEVEL formatted message}. */
  public List<String> logLines() {
    return List.copyOf(logger.lines);
  }

  /** The {@code WARNING} lines only. */
  public List<String> warnings() {
    return logger.lines.stream().filter(l -> l.startsWith("WARNING ")).toList();
  }

  @Override
  public String backendId() {
    return backendId;
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

  @Override
  public String toString() {
    return "TestBackendContext[" + backendId + ", profile=" + profile.name() + "]";
  }

  /** Records formatted lines, and passes them on to the platform logger of the same name. */
  private static final class RecordingLogger implements System.Logger {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final System.Logger delegate;

    RecordingLogger(String name) {
      this.delegate = System.getLogger(name);
    }

    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg + (thrown == null ? "" : " " + thrown));
      delegate.log(level, bundle, msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      String text = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
      lines.add(level + " " + text);
      delegate.log(level, bundle, format, params);
    }
  }
}
