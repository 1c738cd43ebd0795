package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The CLI's logger finder: the SDK's records go to the running command's log (the level it asks for, the
 * message formatted as java.util.logging did), everything else, and the SDK's outside a command, to
 * java.util.logging as without it.
 */
class CliLoggerFinderTest {

  @Test
  void isTheFinderOfThisJvm() {
    assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(CliLoggerFinder.class);
  }

  @Test
  void theSdksRecordsGoToTheRunningCommandsLogAtItsLevel() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    System.Logger audit = System.getLogger("org.nexusreussite.secrets.audit");
    System.Logger sdk = System.getLogger("org.nexusreussite.secrets");
    try (SdkLog log = new SdkLog(err, false)) {
      assertThat(audit.isLoggable(System.Logger.Level.DEBUG)).isFalse();
      assertThat(sdk.isLoggable(System.Logger.Level.WARNING)).isTrue();
      sdk.log(System.Logger.Level.WARNING, "Backend ''{0}'' failed: {1}", "vault", "timeout");
      sdk.log(System.Logger.Level.INFO, "not shown without --debug");
      assertThat(log.warnings()).containsExactly("Backend 'vault' failed: timeout");
    }
    try (SdkLog log = new SdkLog(err, true)) {
      assertThat(audit.isLoggable(System.Logger.Level.DEBUG)).isTrue();
      audit.log(System.Logger.Level.DEBUG, "lookup key={0} backend={1} outcome={2}", "A", "env", "found");
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("secrets: warning: Backend 'vault' failed: timeout"
        + System.lineSeparator() + "secrets: fine: org.nexusreussite.secrets.audit: lookup key=A backend=env "
        + "outcome=found" + System.lineSeparator());
  }

  @Test
  void aLogThatClosesFirstLeavesTheOtherRunning() {
    PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    SdkLog outer = new SdkLog(err, false);
    SdkLog inner = new SdkLog(err, false);
    assertThat(SdkLog.running()).isSameAs(inner);
    outer.close(); // out of order, as two concurrent commands may close
    assertThat(SdkLog.running()).isSameAs(inner);
    inner.close();
    assertThat(SdkLog.running()).isNull();
  }

  @Test
  void otherLoggersAndTheSdksOutsideACommandAreJavaUtilLoggings() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        seen.add(record.getLoggerName() + " " + record.getLevel() + " " + record.getMessage() + " from "
            + record.getSourceMethodName());
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      System.getLogger("com.example.other").log(System.Logger.Level.WARNING, "theirs");
      System.getLogger("org.nexusreussite.secrets.k8s").log(System.Logger.Level.ERROR, "ours, no command running");
    } finally {
      root.removeHandler(capture);
    }
    assertThat(seen).containsExactly(
        "com.example.other WARNING theirs from otherLoggersAndTheSdksOutsideACommandAreJavaUtilLoggings",
        "org.nexusreussite.secrets.k8s SEVERE ours, no command running from "
            + "otherLoggersAndTheSdksOutsideACommandAreJavaUtilLoggings");
  }
}
