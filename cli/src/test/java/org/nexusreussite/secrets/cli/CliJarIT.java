package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.SecretResolver;

/**
 * The built, shaded jar run as a process, the way scripts/secrets runs it: real .env files in the working
 * directory, a clean environment, exit codes, and signals passed on to an exec'd child.
 */
class CliJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static Path jar;
  private static Path thinJar;

  @TempDir
  Path dir;

  @BeforeAll
  static void findJars() {
    jar = Path.of(System.getProperty("secrets.cli.jar", "target/secrets-cli-0.1.0-SNAPSHOT-all.jar"));
    thinJar = Path.of(System.getProperty("secrets.cli.thinJar", "target/secrets-cli-0.1.0-SNAPSHOT.jar"));
    assertThat(jar).as("the shaded jar is built by 'package' before integration tests").isRegularFile();
    assertThat(thinJar).isRegularFile();
  }

  private record Run(int code, String out, String err) {}

  private ProcessBuilder java(List<String> classpathOrJar, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(classpathOrJar);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    // a clean environment: nothing of the build machine's settings or secrets
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(env);
    return pb;
  }

  private Run run(List<String> classpathOrJar, Map<String, String> env, String... args) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    Process p = java(classpathOrJar, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("finished").isTrue();
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  private Run jar(Map<String, String> env, String... args) throws Exception {
    return run(List.of("-jar", jar.toString()), env, args);
  }

  private void dotenv(String content) throws IOException {
    Path file = dir.resolve(".env");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void getReadsTheDotenvFileInTheWorkingDirectory() throws Exception {
    dotenv("DATABASE_URL=postgres://from-dotenv\n");

    Run r = jar(Map.of(), "get", "DATABASE_URL");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("postgres://from-dotenv\n");
    assertThat(r.err()).isEmpty();
  }

  /**
   * Issue 18: a {@code get} that logs nothing never sets up {@code java.util.logging} (20 to 30 ms of every run):
   * the SDK's loggers, its audit check included, are the CLI's own ({@link CliLoggerFinder}).
   */
  @Test
  void aGetThatLogsNothingNeverSetsUpJavaUtilLogging() throws Exception {
    dotenv("DATABASE_URL=postgres://from-dotenv\n");
    Path classes = dir.resolve("classes.log");

    Run r = run(List.of("-Xlog:class+load:file=" + classes, "-jar", jar.toString()), Map.of(), "get",
        "DATABASE_URL");

    assertThat(r.code()).isZero();
    String loaded = Files.readString(classes);
    assertThat(loaded).contains("org.nexusreussite.secrets.cli.CliLoggerFinder")
        .doesNotContain("java.util.logging.LogManager");
  }

  @Test
  void anEnvironmentVariableOutranksTheDotenvFile() throws Exception {
    dotenv("DATABASE_URL=postgres://from-dotenv\n");

    Run r = jar(Map.of("DATABASE_URL", "postgres://from-env"), "get", "DATABASE_URL");

    assertThat(r.out()).isEqualTo("postgres://from-env\n");
  }

  @Test
  void notFoundExitsTwo() throws Exception {
    Run r = jar(Map.of(), "get", "NOPE");

    assertThat(r.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(r.err()).startsWith("secrets: Secret 'NOPE' not found").hasLineCount(1);
  }

  @Test
  void checkInProductionFailsWithTheReport() throws Exception {
    dotenv("DATABASE_URL=postgres://from-dotenv\n");

    Run r = jar(Map.of("SECRETS_PROFILE", "production", "SECRETS_REQUIRED", "DATABASE_URL,JWT_SECRET_KEY"), "check");

    assertThat(r.code()).isEqualTo(ExitCodes.CHECK_FAILED);
    assertThat(r.out()).startsWith("Missing required secrets in production: DATABASE_URL, JWT_SECRET_KEY (searched: env)");
  }

  @Test
  void doctorFindsTheBackendsCarriedByTheJar() throws Exception {
    dotenv("A=1\n");

    Run r = jar(Map.of(), "doctor");

    assertThat(r.code()).isZero();
    assertThat(r.out()).containsPattern("\\+ env +400 +active .*\\(" + jar.getFileName() + "\\)")
        .containsPattern("\\+ dotenv +100 +active .*\\(" + jar.getFileName() + "\\)");
  }

  @Test
  void execPassesSecretsAndTheChildsExitCode() throws Exception {
    dotenv("DATABASE_URL=postgres://from-dotenv\n");

    Run r = jar(Map.of(), "exec", "--", "sh", "-c", "printf %s \"$DATABASE_URL\"; exit 5");

    assertThat(r.code()).isEqualTo(5);
    assertThat(r.out()).isEqualTo("postgres://from-dotenv");
  }

  @Test
  void sigtermToExecIsPassedOnToTheChild() throws Exception {
    assertSignalReachesChild("TERM", 15);
  }

  @Test
  void sigintToExecIsPassedOnToTheChild() throws Exception {
    assertSignalReachesChild("INT", 2);
  }

  private void assertSignalReachesChild(String signal, int number) throws Exception {
    dotenv("A=1\n");
    Path pidFile = dir.resolve("child.pid");
    ProcessBuilder launch = java(List.of("-jar", jar.toString()), Map.of(), "exec", "--", "sh", "-c",
        "echo $$ > child.pid.tmp && mv child.pid.tmp child.pid && exec sleep 120");
    launch.command().addAll(0, defaultDisposition(signal, number));
    Process cli = launch.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      long childPid = awaitPid(pidFile);
      assertThat(ProcessHandle.of(childPid)).as("child running").hasValueSatisfying(h -> assertThat(h.isAlive()).isTrue());

      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(cli.pid())).start();
      assertThat(kill.waitFor()).isZero();

      assertThat(cli.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("secrets exec exited").isTrue();
      assertThat(cli.exitValue()).isEqualTo(128 + number);
      assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false))
          .as("the child was stopped too").isFalse();
    } finally {
      cli.destroyForcibly();
    }
  }

  /**
   * The command prefix that gives the CLI the default disposition of {@code signal}. A build started as a
   * background job of a non-interactive shell ({@code mvn ... &} in a script) runs with SIGINT ignored, every
   * process it starts inherits that, and a JVM that starts with SIGINT ignored never handles it, as a background
   * job should not: the CLI is tested as a terminal's foreground job runs it. Nothing on a system without
   * {@code /proc} (no such inheritance seen there) or when the signal is not ignored.
   */
  private static List<String> defaultDisposition(String signal, int number) throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return List.of();
    }
    long ignored = Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
        .map(l -> Long.parseUnsignedLong(l.substring("SigIgn:".length()).strip(), 16)).findFirst().orElse(0L);
    return (ignored & (1L << (number - 1))) == 0 ? List.of() : List.of("env", "--default-signal=" + signal);
  }

  /** Bounded poll for the pid the child writes when it starts (a real process: no clock to advance). */
  private static long awaitPid(Path pidFile) throws Exception {
    Instant deadline = Instant.now().plus(TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(pidFile)) {
        return Long.parseLong(Files.readString(pidFile).strip());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the child did not start within " + TIMEOUT);
  }

  @Test
  void doctorWithoutBackendJarsWarnsAboutSettingsForMissingBackends() throws Exception {
    List<String> classpath = List.of("-cp", String.join(File.pathSeparator, thinJar.toString(),
        locationOf(SecretResolver.class), locationOf(Caffeine.class)), SecretsCli.class.getName());

    Run dev = run(classpath, Map.of("VAULT_ADDR", "https://vault.example:8200"), "doctor");
    Run prod = run(classpath, Map.of("VAULT_ADDR", "https://vault.example:8200", "SECRETS_PROFILE", "production"),
        "doctor");

    assertThat(dev.code()).isZero();
    assertThat(dev.out()).contains("VAULT_ADDR is set but secrets-backend-vault is not on the classpath")
        .doesNotContain("dotenv");
    assertThat(prod.code()).isEqualTo(ExitCodes.CONFIG);
    assertThat(prod.out()).contains("The resolver cannot be built")
        .contains("VAULT_ADDR is set but secrets-backend-vault is not on the classpath")
        .containsPattern("\\+ env +400 +active");
  }

  private static String locationOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
