package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/secrets and its AppCDS archive (issue 18), run as processes on the built jar: the first `get`
 * writes the archive next to the jar, later runs map it, stdout stays the value alone, and neither
 * {@code help} nor {@code SECRETS_CLI_CDS=off} writes one.
 */
class LauncherCdsIT {
  private static final String VALUE = "postgres://app:pw@db:5432/app";

  @TempDir
  Path dir;

  private Path jar;
  private Path cds;
  private Path script;

  private record Run(int code, String out, String err) {}

  @BeforeEach
  void setUp() throws IOException {
    jar = Path.of(System.getProperty("secrets.cli.jar", "target/secrets-cli-0.1.0-SNAPSHOT-all.jar"))
        .toAbsolutePath();
    assertThat(jar).as("the shaded jar is built by 'package' before integration tests").isRegularFile();
    script = Path.of("..", "scripts", "secrets").toAbsolutePath().normalize();
    assertThat(script).isRegularFile();
    cds = jar.getParent().resolve("cds");
    deleteArchives();
    Path env = dir.resolve(".env");
    Files.writeString(env, "DATABASE_URL=" + VALUE + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
  }

  private void deleteArchives() throws IOException {
    if (Files.exists(cds)) {
      try (Stream<Path> files = Files.walk(cds)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private Run run(Map<String, String> env, String... args) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(script.toString()), Stream.of(args)).toList())
        .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    pb.environment().put("SECRETS_CLI_JAR", jar.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private long archives() throws IOException {
    if (!Files.isDirectory(cds)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).count();
    }
  }

  @Test
  void theFirstGetWritesTheArchiveAndTheNextOneMapsIt() throws Exception {
    Run first = run(Map.of(), "get", "DATABASE_URL");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo(VALUE + "\n");
    assertThat(first.err()).isEmpty();
    assertThat(archives()).isEqualTo(1);

    // -Xshare:on makes the JVM refuse to start when the archive cannot be mapped
    Run second = run(Map.of("SECRETS_CLI_JAVA_OPTS", "-Xshare:on"), "get", "DATABASE_URL");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).isEqualTo(VALUE + "\n");
    assertThat(second.err()).isEmpty();
  }

  @Test
  void helpAndTheOffSwitchWriteNoArchive() throws Exception {
    assertThat(run(Map.of(), "help").code()).isZero();
    Run off = run(Map.of("SECRETS_CLI_CDS", "off"), "get", "DATABASE_URL");
    assertThat(off.code()).as(off.err()).isZero();
    assertThat(off.out()).isEqualTo(VALUE + "\n");
    assertThat(archives()).isZero();
  }
}
