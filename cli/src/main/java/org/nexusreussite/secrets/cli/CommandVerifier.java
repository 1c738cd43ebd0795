package org.nexusreussite.secrets.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * it. Standard output and error are the CLI's.
 */
final class CommandVerifier implements SecretVerifier {
  /** The variable that always holds the candidate value. */
  static final String VALUE_VARIABLE = "SECRETS_VERIFY_VALUE";
  /** The variable that names the key. */
  static final String KEY_VARIABLE = "SECRETS_VERIFY_KEY";
  private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
    env.put(VALUE_VARIABLE, candidate.reveal());
    env.put(KEY_VARIABLE, key);
    if (SHELL_NAME.matcher(key).matches()) {
      env.put(key, candidate.reveal());
    }
    Process p;
    try {
      p = pb.start();
      p.getOutputStream().close(); // no input: a command waiting on stdin fails at once instead of hanging
    } catch (IOException e) {
      throw VerificationFailedException.reason("--verify-cmd could not be started (" + e.getClass().getSimpleName()
          + "); check that /bin/sh exists");
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw VerificationFailedException.reason("--verify-cmd did not finish within " + timeout.toSeconds()
            + " s (--verify-timeout) and was killed");
      }
    } catch (InterruptedException e) {
      kill(p);
      Thread.currentThread().interrupt();
      throw VerificationFailedException.reason("--verify-cmd was interrupted");
    }
    if (p.exitValue() != 0) {
      throw VerificationFailedException.reason("--verify-cmd exited with code " + p.exitValue());
    }
  }

  /** The shell and what it started: a verify script's own children must not outlive the refusal. */
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  @Override
  public String toString() {
    return "CommandVerifier[timeout=" + timeout + "]";
  }
}
