package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.VerificationFailedException;

/** {@code --verify-cmd} run as a real process. */
class CommandVerifierTest {

  @Test
  void theNewValueReachesTheCommandThroughItsEnvironmentOnly(@TempDir Path dir) throws Exception {
    Path seen = dir.resolve("seen");
    new CommandVerifier("printf '%s' \"$API_KEY\" > '" + seen + "'", Duration.ofSeconds(30))
        .verify("API_KEY", SecretValue.of("candidate-value-1"));
    assertThat(Files.readString(seen)).isEqualTo("candidate-value-1");
  }

  @Test
  void aCommandPastItsTimeoutIsKilledWithWhatItStarted(@TempDir Path dir) throws Exception {
    Path pid = dir.resolve("pid");
    CommandVerifier slow = new CommandVerifier("sleep 300 & echo $! > '" + pid + "'; wait", Duration.ofSeconds(2));
    assertThatThrownBy(() -> slow.verify("API_KEY", SecretValue.of("candidate-value-2")))
        .isInstanceOf(VerificationFailedException.class).hasMessageContaining("killed")
        .hasMessageNotContaining("candidate-value-2");
    assertStopped(Long.parseLong(Files.readString(pid).trim()));
  }

  @Test
  void aBackgroundJobOfAnAcceptedCommandDoesNotOutliveIt(@TempDir Path dir) throws Exception {
    Path pid = dir.resolve("pid");
    new CommandVerifier("sleep 300 & echo $! > '" + pid + "'; exit 0", Duration.ofSeconds(30))
        .verify("API_KEY", SecretValue.of("candidate-value-3"));
    assertStopped(Long.parseLong(Files.readString(pid).trim()));
  }

  @Test
  void aGrandchildLeftBehindIsStoppedToo(@TempDir Path dir) throws Exception {
    Path pid = dir.resolve("pid");
    // the inner shell's job is not the outer shell's: found as a descendant while the command runs
    new CommandVerifier("sh -c 'sleep 300 & echo $! > \"" + pid + "\"; sleep 1'; exit 0", Duration.ofSeconds(30))
        .verify("API_KEY", SecretValue.of("candidate-value-4"));
    assertStopped(Long.parseLong(Files.readString(pid).trim()));
  }

  @Test
  void aHugeTimeoutDoesNotOverflow() {
    new CommandVerifier("exit 0", Duration.ofHours(9_999_999_999_999L)).verify("API_KEY", SecretValue.of("v-5"));
  }

  private static void assertStopped(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("what the command started does not outlive it").isFalse();
  }
}
