package org.nexusreussite.secrets.dotenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * Issue 12, finding 6 for {@code .env} files: every read is capped and only regular files are opened,
 * with real files, a real FIFO, a real {@code /dev/zero} link and a real sparse file.
 */
class DotenvFileBoundsTest {

  private static final Duration NO_BLOCKING = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private final DotenvBackendProvider provider = new DotenvBackendProvider();

  private TestBackendContext context(String... settings) {
    Map<String, String> map = new HashMap<>();
    map.put("SECRETS_DOTENV_DIR", dir.toString());
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    return TestBackendContext.of(DotenvBackendProvider.ID, map);
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  static void mkfifo(Path path) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor()).as("mkfifo exit code").isZero();
  }

  @Test
  void aSparse200MegabyteFileIsRefusedFromItsSizeNamingFileAndCap() throws IOException {
    Path file = dir.resolve(".env");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(200L * 1024 * 1024);
    }
    assertThatThrownBy(() -> provider.create(context()))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessage(file + ": 209715200 bytes, over the cap of 1048576 bytes (SECRETS_DOTENV_MAX_FILE_SIZE); a "
            + ".env file holds a few settings, so check that this is the right file, or raise "
            + "SECRETS_DOTENV_MAX_FILE_SIZE");
  }

  @Test
  void aDotenvLinkedToDevZeroIsRefusedUnread() throws IOException {
    Path file = Files.createSymbolicLink(dir.resolve(".env"), Path.of("/dev/zero"));
    write(".env.local", "A=1");
    InvalidSecretSourceException e = assertTimeoutPreemptively(NO_BLOCKING,
        () -> (InvalidSecretSourceException) org.assertj.core.api.Assertions.catchThrowable(
            () -> provider.create(context())));
    assertThat(e).hasMessageStartingWith(file + ": not a regular file (a character device)");
  }

  @Test
  void aDotenvFifoIsRefusedWithoutBlockingWhenEnvLocalMakesTheBackendActive() throws Exception {
    Path fifo = dir.resolve(".env");
    mkfifo(fifo);
    write(".env.local", "A=1");
    TestBackendContext context = context();
    assertThat(provider.activation(context).active()).isTrue();
    Throwable thrown = assertTimeoutPreemptively(NO_BLOCKING,
        () -> org.assertj.core.api.Assertions.catchThrowable(() -> provider.create(context)));
    assertThat(thrown).isInstanceOf(InvalidSecretSourceException.class)
        .hasMessage(fifo + ": not a regular file (a FIFO); a .env file must be a plain file: replace it with one "
            + "or remove it");
  }

  @Test
  void aFifoThatAppearsLaterMakesHealthDownWithoutBlocking() throws Exception {
    write(".env.local", "A=1");
    DotenvSecretBackend backend = (DotenvSecretBackend) provider.create(context());
    mkfifo(dir.resolve(".env.development"));
    BackendHealth health = assertTimeoutPreemptively(NO_BLOCKING, backend::health);
    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.detail()).contains(".env.development: not a regular file (a FIFO)");
  }

  @Test
  void theCapIsConfigurableAndInclusive() throws IOException {
    write(".env", "A=" + "x".repeat(98)); // 100 bytes
    assertThat(provider.create(context("SECRETS_DOTENV_MAX_FILE_SIZE", "100"))
        .fetch("A", VersionSelector.latest())).isPresent();
    assertThatThrownBy(() -> provider.create(context("SECRETS_DOTENV_MAX_FILE_SIZE", "99")))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessageContaining("100 bytes, over the cap of 99 bytes (SECRETS_DOTENV_MAX_FILE_SIZE)");
  }

  @Test
  void aFileThatReportsNoSizeIsReadOnlyUpToTheCap() throws IOException {
    // files under /proc claim size 0 and have content: the read itself is bounded, not just the size check
    Path file = Files.createSymbolicLink(dir.resolve(".env"), Path.of("/proc/self/maps"));
    assertThat(Files.size(file)).isZero();
    assertThatThrownBy(() -> provider.create(context("SECRETS_DOTENV_MAX_FILE_SIZE", "64")))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessageStartingWith(file + ": more than 64 bytes when read, over the cap of 64 bytes");
  }

  @Test
  void aBadCapSettingIsNamed() throws IOException {
    write(".env", "A=1");
    assertThatThrownBy(() -> provider.create(context("SECRETS_DOTENV_MAX_FILE_SIZE", "0")))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("SECRETS_DOTENV_MAX_FILE_SIZE");
    assertThatThrownBy(() -> provider.create(context("SECRETS_DOTENV_MAX_FILE_SIZE", "1MB")))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("SECRETS_DOTENV_MAX_FILE_SIZE");
  }
}
