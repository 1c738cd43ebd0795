package org.nexusreussite.secrets.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Reads a file whole only when it is a regular file no larger than a cap. The check comes before the
 * open because {@code open(2)} on a FIFO blocks until a writer appears, and a device such as
 * {@code /dev/zero} never ends; the read itself stops at cap + 1 bytes, so a file that grows meanwhile
 * or reports no size (files under {@code /proc}) cannot exhaust the heap either.
 */
final class BoundedRead {

  /** Why a file was not read; {@link #problem()} is a sentence fragment naming no content. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String problem;

    Refused(String problem) {
      super(problem, null, false, false);
      this.problem = problem;
    }

    String problem() {
      return problem;
    }
  }

  private BoundedRead() {}

  /**
   * The bytes of {@code file}, links followed.
   *
   * @param setting the setting that raises the cap, named in the refusal; null for a fixed cap
   * @throws Refused when it is not a regular file or holds more than {@code cap} bytes
   */
  static byte[] read(Path file, int cap, @Nullable String setting) throws IOException, Refused {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new Refused("not a regular file (" + kind(file, a) + ")");
    }
    String where = setting == null ? "" : " (" + setting + ")";
    if (a.size() > cap) {
      throw new Refused(a.size() + " bytes, over the cap of " + cap + " bytes" + where);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(cap + 1);
      if (bytes.length > cap) {
        throw new Refused("more than " + cap + " bytes when read, over the cap of " + cap + " bytes" + where);
      }
      return bytes;
    }
  }

  /** What a file that is not regular is, from its Unix mode where the file system gives one. */
  static String kind(Path file, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "not a plain file";
      };
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
      return "a FIFO, device or socket";
    }
  }
}
