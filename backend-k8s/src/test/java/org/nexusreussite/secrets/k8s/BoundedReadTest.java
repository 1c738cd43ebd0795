package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bounded read itself, including files that lie about their size. */
class BoundedReadTest {

  @TempDir
  Path temp;

  @Test
  void readsARegularFileUpToTheCap() throws Exception {
    Path file = Files.writeString(temp.resolve("f"), "abcd");
    assertThat(BoundedRead.read(file, 4, "S")).containsExactly('a', 'b', 'c', 'd');
  }

  @Test
  void aFileThatReportsSizeZeroIsStillCutAtTheCap() throws IOException {
    Path maps = Path.of("/proc/self/maps"); // size 0 in stat, kilobytes when read
    assertThat(Files.size(maps)).isZero();
    assertThatThrownBy(() -> BoundedRead.read(maps, 64, "SETTING"))
        .isInstanceOf(BoundedRead.Refused.class)
        .hasMessage("more than 64 bytes when read, over the cap of 64 bytes (SETTING)");
  }

  @Test
  void devZeroIsRefusedUnopened() {
    assertThatThrownBy(() -> BoundedRead.read(Path.of("/dev/zero"), 64, null))
        .isInstanceOf(BoundedRead.Refused.class).hasMessage("not a regular file (a character device)");
  }

  @Test
  void aDirectoryIsRefused() {
    assertThatThrownBy(() -> BoundedRead.read(temp, 64, null))
        .isInstanceOf(BoundedRead.Refused.class).hasMessage("not a regular file (a directory)");
  }
}
