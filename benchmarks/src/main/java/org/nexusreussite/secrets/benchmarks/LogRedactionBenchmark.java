package org.nexusreussite.secrets.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.logging.LogRedaction;
import org.nexusreussite.secrets.logging.RedactionOptions;
import org.nexusreussite.secrets.logging.SecretRedactor;
import org.nexusreussite.secrets.logging.logback.RedactingMessageConverter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 17 part 3: the cost of redaction per log line, against plain {@code %msg} in the same run.
 * A 200-character line, 100 known values of 20 to 40 characters (base-36, as generated secrets look).
 * {@code *Plain} is the layout with {@code %msg}; {@code *Redacting} the same layout with the redacting
 * converter ({@code msg} rebound in Logback, {@code %redact{%msg}} in Log4j2); {@code *OneValue} a line
 * that holds one value. {@code scanOnly} is the engine alone on the line. Run with {@code -prof gc}: on a
 * line without a value the redacting side must allocate exactly what the plain one does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogRedactionBenchmark {
  static final int VALUES = 100;

  private SecretRedactor redactor;
  private String line;
  private PatternLayout logbackPlain;
  private PatternLayout logbackRedacting;
  private LoggingEvent logbackEvent;
  private LoggingEvent logbackEventWithValue;
  private org.apache.logging.log4j.core.layout.PatternLayout log4jPlain;
  private org.apache.logging.log4j.core.layout.PatternLayout log4jRedacting;
  private LogEvent log4jEvent;
  private LogEvent log4jEventWithValue;
  private final StringBuilder buffer = new StringBuilder(512);

  @Setup(org.openjdk.jmh.annotations.Level.Trial)
  public void setUp() {
    redactor = SecretRedactor.manual(RedactionOptions.defaults());
    Random random = new Random(17);
    String someValue = null;
    for (int i = 0; i < VALUES; i++) {
      StringBuilder v = new StringBuilder();
      int length = 20 + random.nextInt(21);
      while (v.length() < length) {
        v.append(Character.forDigit(random.nextInt(36), 36));
      }
      someValue = v.toString();
      redactor.served(Secret.of("KEY_" + i, SecretValue.of(someValue), SecretVersion.of("1"), "bench",
          Instant.EPOCH));
    }
    LogRedaction.install(redactor);
    StringBuilder l = new StringBuilder("2026-12-02 order 4711 accepted for customer 88213 (tier gold); ");
    while (l.length() < 200) {
      l.append("payment authorised by gateway eu-west-1 in 183 ms; ");
    }
    line = l.substring(0, 200);
    String withValue = line.substring(0, 150 - someValue.length()) + someValue + line.substring(150);

    LoggerContext ctx = new LoggerContext();
    ch.qos.logback.classic.Logger logger = ctx.getLogger("bench");
    logbackPlain = new PatternLayout();
    logbackPlain.setContext(ctx);
    logbackPlain.setPattern("%msg");
    logbackPlain.start();
    logbackRedacting = new PatternLayout();
    logbackRedacting.setContext(ctx);
    logbackRedacting.getInstanceConverterMap().put("msg", RedactingMessageConverter::new);
    logbackRedacting.setPattern("%msg");
    logbackRedacting.start();
    logbackEvent = new LoggingEvent("bench", logger, Level.INFO, line, null, null);
    logbackEventWithValue = new LoggingEvent("bench", logger, Level.INFO, withValue, null, null);

    DefaultConfiguration config = new DefaultConfiguration();
    log4jPlain = org.apache.logging.log4j.core.layout.PatternLayout.newBuilder().withConfiguration(config)
        .withPattern("%msg").withAlwaysWriteExceptions(false).build();
    log4jRedacting = org.apache.logging.log4j.core.layout.PatternLayout.newBuilder().withConfiguration(config)
        .withPattern("%redact{%msg}").build();
    log4jEvent = Log4jLogEvent.newBuilder().setLoggerName("bench").setMessage(new SimpleMessage(line)).build();
    log4jEventWithValue = Log4jLogEvent.newBuilder().setLoggerName("bench")
        .setMessage(new SimpleMessage(withValue)).build();
    if (!logbackRedacting.doLayout(logbackEventWithValue).contains("[secret:KEY_")
        || !log4jRedacting.toSerializable(log4jEventWithValue).contains("[secret:KEY_")
        || !logbackRedacting.doLayout(logbackEvent).equals(line)
        || !log4jRedacting.toSerializable(log4jEvent).equals(line)) {
      throw new IllegalStateException("the redacting layouts do not redact as expected");
    }
  }

  @Benchmark
  public String scanOnly() {
    return redactor.redact(line);
  }

  /** The engine on Log4j's kind of input: in place in a buffer (the line appended, then scanned). */
  @Benchmark
  public boolean scanBuilder() {
    StringBuilder sb = buffer;
    sb.setLength(0);
    sb.append(line);
    return redactor.redact(sb, 0);
  }

  /** Baseline of {@link #scanBuilder()}: the append alone. */
  @Benchmark
  public int appendOnly() {
    StringBuilder sb = buffer;
    sb.setLength(0);
    sb.append(line);
    return sb.length();
  }

  @Benchmark
  public String logbackPlain() {
    return logbackPlain.doLayout(logbackEvent);
  }

  @Benchmark
  public String logbackRedacting() {
    return logbackRedacting.doLayout(logbackEvent);
  }

  @Benchmark
  public String logbackRedactingOneValue() {
    return logbackRedacting.doLayout(logbackEventWithValue);
  }

  @Benchmark
  public String log4j2Plain() {
    return log4jPlain.toSerializable(log4jEvent);
  }

  @Benchmark
  public String log4j2Redacting() {
    return log4jRedacting.toSerializable(log4jEvent);
  }

  @Benchmark
  public String log4j2RedactingOneValue() {
    return log4jRedacting.toSerializable(log4jEventWithValue);
  }
}
