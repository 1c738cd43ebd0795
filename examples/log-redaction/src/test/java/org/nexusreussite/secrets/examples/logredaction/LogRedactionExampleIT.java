package org.nexusreussite.secrets.examples.logredaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar run as a process: the canary it resolves and logs never reaches its output. */
class LogRedactionExampleIT {
  static final String CANARY = "canary-Sh4d3dJar-91";
  static final String PLUGINS = "META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat";

  @TempDir Path dir;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("example.jar", "target/log-redaction.jar"));
    assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
    return jar;
  }

  @Test
  void theShadedJarRedactsTheCanaryEverywhereItIsLogged() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().put("DB_PASSWORD", CANARY);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the example finishes").isTrue();
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertThat(p.exitValue()).as("exit code; stderr: %s", stderr).isZero();
    assertThat(stdout + stderr).doesNotContain(CANARY);
    // a lost plugin index would show as "Unrecognized format specifier [redact]" and the raw value
    assertThat(stderr).doesNotContain("redact");
    assertThat(stdout).contains(
        "INFO  LogRedactionApp {credential=[secret:DB_PASSWORD]} - connecting with [secret:DB_PASSWORD]",
        "WARN  LogRedactionApp {credential=[secret:DB_PASSWORD]} - retrying with [secret:DB_PASSWORD]",
        "java.lang.IllegalStateException: bad password [secret:DB_PASSWORD]",
        "Caused by: java.lang.IllegalArgumentException: rejected [secret:DB_PASSWORD]",
        "INFO  LogRedactionApp {} - done");
  }

  @Test
  void theShadedJarHasOnePluginIndexWithLog4jsPluginsAndOurs() throws Exception {
    try (JarFile jar = new JarFile(jar().toFile())) {
      byte[] index = jar.getInputStream(jar.getJarEntry(PLUGINS)).readAllBytes();
      String text = new String(index, StandardCharsets.ISO_8859_1);
      assertThat(text).contains("org.nexusreussite.secrets.logging.log4j2.RedactingPatternConverter",
          "org.nexusreussite.secrets.logging.log4j2.SecretRedactionPolicy",
          "org.apache.logging.log4j.core.layout.PatternLayout");
    }
  }
}
