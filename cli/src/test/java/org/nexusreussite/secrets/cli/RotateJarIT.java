package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/**
 * {@code secrets set} and {@code secrets rotate} as the shaded jar run as a process against a real OpenBao:
 * the value from standard input, {@code --dry-run} writing nothing, {@code --due} rotating exactly the due
 * keys, and no value in any output, debug logs included.
 */
class RotateJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String CANARY = "CANARY-rotate-jar-77c1";
  private static final OpenBaoServer BAO = OpenBaoServer.shared();
  private static Path jar;

  @TempDir
  Path dir;

  private final String rel = "rotate-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<String> outputs = new ArrayList<>();

  @BeforeAll
  static void findJar() {
    jar = Path.of(System.getProperty("secrets.cli.jar", "target/secrets-cli-0.1.0-SNAPSHOT-all.jar"));
    assertThat(jar).as("the shaded jar is built by 'package' before integration tests").isRegularFile();
  }

  private record Run(int code, String out, String err) {}

  private Run secrets(String paths, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().putAll(Map.of("VAULT_ADDR", BAO.address(), "VAULT_TOKEN", BAO.rootToken(), "SECRETS_VAULT_PATHS", paths));
    Path in = Files.writeString(dir.resolve("in-" + System.nanoTime()), stdin, StandardCharsets.UTF_8);
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("finished").isTrue();
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    outputs.add(r.out() + r.err());
    return r;
  }

  private void putV2(String path, String field, String value) {
    BAO.api("POST", "/v1/secret/data/" + path, "{\"data\":{\"" + field + "\":\"" + value + "\"}}");
  }

  private String field(String path, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(BAO.api("GET", "/v1/secret/data/" + path, null));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private String currentVersion(String path) {
    Matcher m = Pattern.compile("\"current_version\":(\\d+)").matcher(BAO.api("GET", "/v1/secret/metadata/" + path,
        null));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  @Test
  void setReadsTheValueFromStandardInput() throws Exception {
    putV2(rel, "API_KEY", "old");

    Run r = secrets("secret/" + rel, CANARY + "\n", "set", "API_KEY");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("set API_KEY in vault: version 1 -> 2 (");
    assertThat(field(rel, "API_KEY")).isEqualTo(CANARY);
    assertThat(secrets("secret/" + rel, "", "set", "API_KEY").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(currentVersion(rel)).isEqualTo("2");
    assertThat(outputs).noneMatch(o -> o.contains(CANARY));
  }

  @Test
  void rotateDryRunChangesNothingAndRotateWrites() throws Exception {
    putV2(rel, "JWT_SECRET_KEY", CANARY);

    Run dry = secrets("secret/" + rel, "", "rotate", "JWT_SECRET_KEY", "--generate", "base64url:32", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would rotate JWT_SECRET_KEY in vault: version 1 -> (new)");
    assertThat(currentVersion(rel)).isEqualTo("1");

    Run real = secrets("secret/" + rel, "", "rotate", "JWT_SECRET_KEY", "--generate", "base64url:32", "--debug");
    assertThat(real.code()).as(real.err()).isZero();
    assertThat(real.out()).startsWith("rotated JWT_SECRET_KEY in vault: version 1 -> 2 (");
    String rotated = field(rel, "JWT_SECRET_KEY");
    assertThat(rotated).matches("[A-Za-z0-9_-]{43}");
    assertThat(outputs).noneMatch(o -> o.contains(CANARY) || o.contains(rotated));
  }

  @Test
  void rotateDuePicksExactlyTheDueKeys() throws Exception {
    putV2(rel + "-old", "OLD_KEY", CANARY);
    Thread.sleep(1_500); // the store's creation times are real: OLD_KEY's version is older than 1s, NEW_KEY's not
    putV2(rel + "-new", "NEW_KEY", CANARY + "-new");
    Path policy = Files.writeString(dir.resolve("secrets-rotation.properties"), String.join("\n",
        "OLD_KEY.generator=hex:16", "OLD_KEY.max-age=1s", "NEW_KEY.generator=hex:16", "NEW_KEY.max-age=1h", ""));
    String paths = "secret/" + rel + "-old,secret/" + rel + "-new";

    Run dry = secrets(paths, "", "rotate", "--due", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would rotate OLD_KEY").doesNotContain("NEW_KEY");
    assertThat(currentVersion(rel + "-old")).isEqualTo("1");

    Run r = secrets(paths, "", "rotate", "--due", "--policy", policy.toString(), "--debug");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines().toList()).hasSize(1)
        .allMatch(l -> l.startsWith("rotated OLD_KEY in vault: version 1 -> 2 ("));
    assertThat(r.err()).contains("NEW_KEY: not due");
    assertThat(currentVersion(rel + "-old")).isEqualTo("2");
    assertThat(currentVersion(rel + "-new")).isEqualTo("1");
    assertThat(outputs).noneMatch(o -> o.contains(CANARY) || o.contains(field(rel + "-old", "OLD_KEY")));
  }
}
