package org.nexusreussite.secrets.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVerifier;
import org.nexusreussite.secrets.VerificationFailedException;

/**
 * {@code --verify-cmd CMD}: runs {@code sh -c CMD} with the candidate value in its environment only, as the
 * variable named like the key (when the key is a valid shell name) and as {@code SECRETS_VERIFY_VALUE}, with
 * {@code SECRETS_VERIFY_KEY} naming the key. Never in an argument (visible in {@code ps}), never in a file.
 * Exit 0 accepts the value; any other exit, a timeout (the process is killed) or a start failure refuses
 * it. Standard output and error are the CLI's. Whatever the command started is stopped when it ends: on
 * Linux every process carrying this run's {@code SECRETS_VERIFY_RUN} mark in its environment; elsewhere the
 * descendants found while it ran (one started and re-parented between two looks, 0.1 s apart, can escape).
 */
final class CommandVerifier implements SecretVerifier {
  /** The variable that always holds the candidate value. */
  static final String VALUE_VARIABLE = "SECRETS_VERIFY_VALUE";
  /** The variable that names the key. */
  static final String KEY_VARIABLE = "SECRETS_VERIFY_KEY";
  /** The variable that marks one verification's processes. */
  static final String RUN_VARIABLE = "SECRETS_VERIFY_RUN";
  /** How much of a process's environment is searched for the mark. */
  private static final int MAX_ENVIRON = 1 << 20;
  private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** How often the command's descendants are noted while it runs. */
  private static final Duration POLL = Duration.ofMillis(100);
  /** At most this many descendants are tracked (a fork bomb is the timeout's business). */
  private static final int MAX_TRACKED = 1000;
  private static final Duration MAX_TIMEOUT = Duration.ofDays(365);

  private final String command;
  private final Duration timeout;

  CommandVerifier(String command, Duration timeout) {
    this.command = command;
    this.timeout = timeout;
  }

  @Override
  public void verify(String key, SecretValue candidate) {
    ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", command))
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = pb.environment();
    // marks everything the command starts (environments are inherited): what is left behind when it ends, a
    // helper such as a port-forward re-parented away from it, is found by this mark and stopped
    String run = RUN_VARIABLE + "=" + UUID.randomUUID();
    env.put(RUN_VARIABLE, run.substring(RUN_VARIABLE.length() + 1));
    env.put(VALUE_VARIABLE, candidate.reveal());
    env.put(KEY_VARIABLE, key);
    if (SHELL_NAME.matcher(key).matches()) {
      env.put(key, candidate.reveal());
    }
    // a SIGTERM (a CronJob's deadline) during verification stops the command too, as for `exec`
    Exec.ChildOnSignal onSignal = new Exec.ChildOnSignal();
    Thread hook = new Thread(onSignal, "secrets-verify-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    Set<ProcessHandle> started = new LinkedHashSet<>();
    try {
      Process p;
      try {
        p = onSignal.start(pb);
        if (p == null) {
          throw VerificationFailedException.reason("--verify-cmd was not started: the CLI is stopping");
        }
        p.getOutputStream().close(); // no input: a command waiting on stdin fails at once instead of hanging
      } catch (IOException e) {
        throw VerificationFailedException.reason("--verify-cmd could not be started (" + e.getClass().getSimpleName()
            + "); check that /bin/sh exists");
      }
      try {
        if (!await(p, started)) {
          kill(p, started);
          killLeftBehind(run.getBytes(StandardCharsets.UTF_8));
          throw VerificationFailedException.reason("--verify-cmd did not finish within " + timeout.toSeconds()
              + " s (--verify-timeout) and was killed");
        }
      } catch (InterruptedException e) {
        kill(p, started);
        Thread.currentThread().interrupt();
        throw VerificationFailedException.reason("--verify-cmd was interrupted");
      }
      kill(p, started); // what its children started, found while it ran
      killLeftBehind(run.getBytes(StandardCharsets.UTF_8)); // and what had already left it
      if (p.exitValue() != 0) {
        throw VerificationFailedException.reason("--verify-cmd exited with code " + p.exitValue());
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is stopping: the hook runs
      }
    }
  }

  /**
   * Waits for {@code p} within the timeout, noting its descendants as it goes: once it exits they are
   * re-parented and no longer its descendants, so they can only be found while it runs.
   */
  private boolean await(Process p, Set<ProcessHandle> started) throws InterruptedException {
    // a timeout past a year is a year: Duration.toNanos overflows near 292 years
    long deadline = System.nanoTime() + (timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout).toNanos();
    while (true) {
      p.descendants().limit(Math.max(0, MAX_TRACKED - started.size())).forEach(started::add);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return !p.isAlive();
      }
      if (p.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS)) {
        return true;
      }
    }
  }

  /**
   * Linux: stops the processes whose environment carries this run's mark ({@code /proc/PID/environ}, readable
   * for the user's own processes). Elsewhere nothing: the descendants found while the command ran are stopped.
   */
  private static void killLeftBehind(byte[] mark) {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return;
    }
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses().filter(h -> h.pid() != self).forEach(h -> {
      byte[] environ;
      try (InputStream in = Files.newInputStream(Path.of("/proc", Long.toString(h.pid()), "environ"))) {
        environ = in.readNBytes(MAX_ENVIRON);
      } catch (IOException | SecurityException e) {
        return; // gone, or another user's: not ours
      }
      if (contains(environ, mark)) {
        h.destroyForcibly();
      }
    });
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (i > 0 && haystack[i - 1] != 0) {
        continue; // the mark starts a NUL-separated entry
      }
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** The shell and what it started: a verify script's own children must not outlive it. */
  private static void kill(Process p, Set<ProcessHandle> started) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly); // a ProcessHandle knows its start time: never a reused pid
  }

  @Override
  public String toString() {
    return "CommandVerifier[timeout=" + timeout + "]";
  }
}
