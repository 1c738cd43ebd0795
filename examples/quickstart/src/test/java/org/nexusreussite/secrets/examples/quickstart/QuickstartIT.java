package org.nexusreussite.secrets.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.FingerprintKey;
import org.nexusreussite.secrets.SecretValue;

/**
 * The same compiled jar run as separate processes with different class paths and environments: the
 * backend that serves the secrets changes, the code does not.
 */
class QuickstartIT {
  private static Path appJar;
  private static List<String> runtimeJars;

  @TempDir
  Path dir;

  @BeforeAll
  static void findJars() throws Exception {
    appJar = Path.of(System.getProperty("quickstart.jar", "target/secrets-example-quickstart.jar"));
    Path classpathFile = Path.of(System.getProperty("quickstart.classpath", "target/classpath.txt"));
    assertThat(appJar).isRegularFile();
    runtimeJars = List.of(Files.readString(classpathFile).strip().split(File.pathSeparator));
    assertThat(runtimeJars).anyMatch(j -> j.contains("secrets-backend-dotenv"));
  }

  @BeforeEach
  void developmentDotenv() throws Exception {
    Path env = dir.resolve(".env");
    Files.writeString(env, """
        SECRET_KEY=dotenv-secret-key
        JWT_SECRET_KEY=dotenv-jwt
        DATABASE_URL=postgresql://dotenv/db
        OPENAI_API_KEY=sk-dotenv
        """, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
  }

  private record Run(int code, String out, String err) {}

  private Run run(List<String> jars, Map<String, String> env) throws Exception {
    List<String> classpath = new ArrayList<>();
    classpath.add(appJar.toString());
    classpath.addAll(jars);
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, classpath), QuickstartApp.class.getName()).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    // the app runs in another process: a shared key makes its fingerprints comparable with this test's
    pb.environment().put(FingerprintKey.SETTING, FINGERPRINT_KEY);
    pb.environment().putAll(env);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static List<String> withoutDotenv() {
    return runtimeJars.stream().filter(j -> !j.contains("secrets-backend-dotenv")).toList();
  }

  private static final String FINGERPRINT_KEY = "quickstart-test-fingerprint-key";

  private static String fp(String value) {
    return SecretValue.of(value).fingerprint(FingerprintKey.shared(FINGERPRINT_KEY));
  }

  @Test
  void theSameJarIsServedByDotenvOrByTheEnvironmentDependingOnClassPathAndEnvironment() throws Exception {
    Run withDotenv = run(runtimeJars, Map.of());
    Run envOnly = run(withoutDotenv(), Map.of("SECRET_KEY", "env-secret-key", "JWT_SECRET_KEY", "env-jwt",
        "DATABASE_URL", "postgresql://env/db"));

    assertThat(withDotenv.code()).as(withDotenv.err()).isZero();
    assertThat(withDotenv.out()).contains("backends in search order: env, dotenv")
        .containsPattern("SECRET_KEY +required +dotenv +" + fp("dotenv-secret-key"))
        .containsPattern("DATABASE_URL +required +dotenv +" + fp("postgresql://dotenv/db"))
        .containsPattern("OPENAI_API_KEY +optional +dotenv +" + fp("sk-dotenv"));

    assertThat(envOnly.code()).as(envOnly.err()).isZero();
    assertThat(envOnly.out()).contains("backends in search order: env").doesNotContain("dotenv")
        .containsPattern("SECRET_KEY +required +env +" + fp("env-secret-key"))
        .containsPattern("DATABASE_URL +required +env +" + fp("postgresql://env/db"))
        .containsPattern("OPENAI_API_KEY +optional +default +\\(not set: feature off\\)");
  }

  @Test
  void anEnvironmentVariableOverridesOneKeyOfTheDotenvFile() throws Exception {
    Run r = run(runtimeJars, Map.of("DATABASE_URL", "postgresql://env/db"));

    assertThat(r.out()).containsPattern("DATABASE_URL +required +env +" + fp("postgresql://env/db"))
        .containsPattern("SECRET_KEY +required +dotenv");
  }

  @Test
  void optionalKeysFallBackToTheirDefaults() throws Exception {
    Run r = run(runtimeJars, Map.of());

    assertThat(r.out()).containsPattern("REDIS_URL +optional +default +" + fp("redis://localhost:6379/0"))
        .containsPattern("SENTRY_DSN +optional +default +\\(not set: feature off\\)");
  }

  @Test
  void inProductionAMissingKeyStopsTheAppWithTheSdkReport() throws Exception {
    Run r = run(runtimeJars, Map.of("SECRETS_PROFILE", "production", "SECRET_KEY", "env-secret-key"));

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("Missing required secrets in production: JWT_SECRET_KEY, DATABASE_URL "
            + "(searched: env)")
        .contains("  DATABASE_URL: env: not found")
        .contains("- Run 'secrets doctor'");
  }

  @Test
  void inDevelopmentAMissingKeyAlsoStopsTheApp() throws Exception {
    Run r = run(withoutDotenv(), Map.of("SECRET_KEY", "s", "JWT_SECRET_KEY", "j"));

    assertThat(r.code()).isEqualTo(1);
    // the SDK's own warning (java.util.logging) comes first; then the app's report
    assertThat(r.err()).contains("Missing required secrets in development: DATABASE_URL (searched: env)\n"
        + "  DATABASE_URL: env: not found");
  }

  @Test
  void noValueIsEverPrinted() throws Exception {
    List<Run> runs = List.of(run(runtimeJars, Map.of()),
        run(runtimeJars, Map.of("SECRETS_PROFILE", "production", "SECRET_KEY", "env-secret-key")));

    for (Run r : runs) {
      assertThat(r.out() + r.err()).doesNotContain("dotenv-secret-key", "dotenv-jwt", "postgresql://dotenv/db",
          "sk-dotenv", "env-secret-key", "redis://localhost");
    }
    assertThat(Arrays.asList(runs.get(0).out().split("\n"))).hasSizeGreaterThan(8);
  }
}
