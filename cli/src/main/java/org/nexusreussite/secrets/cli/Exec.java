package org.nexusreussite.secrets.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;

/**
 * {@code secrets exec [--only K1,K2] -- CMD ARGS...}: resolves the secrets, closes the resolver, and runs
 * CMD with them added to the environment it inherits. Values go from memory to the child's environment
 * only: no file, no argument list, no output.
 *
 * <p>CMD's exit code is returned as is; the JVM reports a child killed by signal N as 128+N, the shell
 * convention. A SIGTERM or SIGINT sent to this process runs the JVM's shutdown hooks, and the hook here
 * passes the termination on to CMD (then waits for it), so a supervisor stopping {@code secrets exec}
 * stops the application too; the JVM then exits with 128+N itself.
 */
final class Exec {
  /** How long a terminated child gets to exit before it is killed. */
  private static final long GRACE_SECONDS = 10;

  private final SecretsCli cli;

  Exec(SecretsCli cli) {
    this.cli = cli;
  }

  int run() {
    CommandLine cl = cli.commandLine();
    // CommandLine.validate() refuses exec without a command after --
    List<String> command = Objects.requireNonNull(cl.execCommand, "execCommand");
    List<String> only = cl.keys("--only");
    Map<String, String> secrets = new LinkedHashMap<>();
    try (SecretResolver resolver = cli.open()) {
      Set<String> keys = new LinkedHashSet<>(only);
      if (only.isEmpty()) {
        keys.addAll(resolver.inspect().describe().required());
        resolver.inspect().listKeys().forEach((backend, held) -> {
          // variables of this process's environment reach the child anyway
          if (!backend.equals("env")) {
            keys.addAll(held);
          }
        });
      }
      List<String> missing = new ArrayList<>();
      for (String key : keys) {
        Optional<String> value = resolver.find(key);
        if (value.isPresent()) {
          secrets.put(key, value.get());
        } else {
          missing.add(key);
        }
      }
      if (!missing.isEmpty()) {
        SecretNotFoundException notFound = SecretNotFoundException.of(missing.get(0),
            resolver.inspect().describe().backends().stream().filter(b -> b.active()).map(b -> b.description()).toList());
        if (!only.isEmpty()) {
          cli.err().println("secrets: not starting " + command.get(0) + ": " + missing.size()
              + " of the --only keys did not resolve: " + String.join(", ", missing));
          cli.err().println("secrets: " + notFound.getMessage());
          return ExitCodes.NOT_FOUND;
        }
        cli.err().println("secrets: warning: required secrets missing, not set for " + command.get(0) + ": "
            + String.join(", ", missing));
      }
    }
    return start(command, secrets);
  }

  private int start(List<String> command, Map<String, String> secrets) {
    PrintStream out = cli.out();
    PrintStream err = cli.err();
    // the real console is passed through untouched; other streams (tests, embedding) are pumped
    boolean console = out == System.out && err == System.err;
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(secrets);
    if (console) {
      pb.inheritIO();
    } else {
      pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    }
    // the hook is in place before the child exists: a signal that lands while the child starts still reaches it
    ChildOnSignal onSignal = new ChildOnSignal();
    Thread hook = new Thread(onSignal, "secrets-exec-signal");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      return 128 + 15; // the JVM is already stopping (a signal came first): no child is started
    }
    Process child;
    try {
      child = onSignal.start(pb);
    } catch (IOException e) {
      removeQuietly(hook);
      // the JDK's message names the program and the OS error; no value is involved
      boolean notFound = e.getMessage() != null && e.getMessage().contains("error=2,");
      err.println("secrets: cannot run " + command.get(0) + ": " + (notFound ? "command not found" : e.getMessage()));
      return notFound ? ExitCodes.COMMAND_NOT_FOUND : ExitCodes.CANNOT_EXECUTE;
    } finally {
      secrets.clear();
    }
    if (child == null) {
      return 128 + 15; // the JVM is already stopping (a signal came before the child started): none is started
    }
    List<Thread> pumps = new ArrayList<>();
    if (!console) {
      closeQuietly(child.getOutputStream());
      pumps.add(pump(child.getInputStream(), out));
      pumps.add(pump(child.getErrorStream(), err));
    }
    try {
      int code = child.waitFor();
      for (Thread t : pumps) {
        t.join();
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      terminate(child);
      return 128 + 2;
    } finally {
      removeQuietly(hook);
    }
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or has run
    }
  }

  /**
   * The shutdown hook's side of the child: started under a lock that the hook also takes, so a signal during
   * {@code pb.start()} waits for the child and terminates it, and one before it means no child is started.
   */
  static final class ChildOnSignal implements Runnable {
    private @Nullable Process child;
    private boolean stopping;

    synchronized @Nullable Process start(ProcessBuilder pb) throws IOException {
      if (stopping) {
        return null;
      }
      child = pb.start();
      return child;
    }

    @Override
    public void run() {
      Process started;
      synchronized (this) {
        stopping = true;
        started = child;
      }
      if (started != null) {
        terminate(started);
      }
    }
  }

  /** SIGTERM to the child (and its descendants), a grace period, then SIGKILL. */
  private static void terminate(Process child) {
    if (!child.isAlive()) {
      return;
    }
    child.descendants().forEach(ProcessHandle::destroy);
    child.destroy();
    try {
      if (!child.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Thread pump(InputStream in, OutputStream target) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          target.write(buffer, 0, n);
          target.flush();
        }
      } catch (IOException e) {
        // the child closed its end: nothing more to copy
      }
    }, "secrets-exec-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void closeQuietly(OutputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // the child may already be gone; it reads end-of-file either way
    }
  }
}
