package org.nexusreussite.secrets.buildsupport.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.jspecify.annotations.Nullable;

/**
 * Finds the test tools installed by {@code scripts/install-test-tools.sh} (in the project-local venv
 * {@code .tools/venv}, and {@code .tools/bin} for Go tools) and hands out free ports. A missing tool is an error, never a skipped test.
 */
public final class TestTools {

  /** The system property the build sets to the project root. */
  public static final String PROJECT_ROOT_PROPERTY = "secrets.project.root";

  private TestTools() {}

  /**
   * The executable {@code name}: from {@code <project>/.tools/venv/bin}, else from {@code PATH}.
   *
   * @throws IllegalStateException naming the install command when it is nowhere
   */
  public static Path executable(String name) {
    Path root = projectRoot();
    if (root != null) {
      // .tools/venv/bin: the Python tools (bao, moto_server); .tools/bin: the Go ones (toxiproxy-server)
      for (String dir : new String[] {".tools/venv/bin", ".tools/bin"}) {
        Path candidate = root.resolve(dir).resolve(name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, name))) {
          return Paths.get(dir, name);
        }
      }
    }
    throw new IllegalStateException("Test tool '" + name + "' not found in "
        + (root == null ? "<project>" : root) + "/.tools/venv/bin, .tools/bin or on PATH. "
        + "Run scripts/install-test-tools.sh (scripts/test.sh does it for you).");
  }

  /** The project root: the {@value #PROJECT_ROOT_PROPERTY} property, else the nearest folder up with {@code .tools} or {@code scripts}. */
  public static @Nullable Path projectRoot() {
    String property = System.getProperty(PROJECT_ROOT_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Paths.get(property).toAbsolutePath();
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(".tools")) || Files.isRegularFile(dir.resolve("scripts/install-test-tools.sh"))) {
        return dir;
      }
    }
    return null;
  }

  /** A TCP port free on 127.0.0.1 at the time of the call. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
