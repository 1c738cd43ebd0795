package org.nexusreussite.secrets.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.nexusreussite.secrets.SecretsConfig;

/** Runs the real CLI entry point with captured streams and settings isolated from the machine. */
final class Cli {
  /** The outcome of one run. */
  record Result(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private static final Path EMPTY_DIR;

  static {
    try {
      EMPTY_DIR = Files.createTempDirectory("secrets-cli-empty");
      EMPTY_DIR.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final Map<String, String> settings = new HashMap<>();

  /**
   * A run whose environment is only the variables given, as a process started with them would have it
   * (the env backend serves them, settings among them, as it does a real environment), and
   * .env files are looked for in an empty folder unless {@code SECRETS_DOTENV_DIR} is set.
   */
  static Cli isolated() {
    return new Cli().set("SECRETS_DOTENV_DIR", EMPTY_DIR.toString());
  }

  Cli set(String name, String value) {
    settings.put(name, value);
    return this;
  }

  /** The settings a run gets. */
  Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  Cli setAll(Map<String, String> more) {
    settings.putAll(more);
    return this;
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  /** A run whose standard input holds {@code input}. */
  Result runWithInput(String input, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = SecretsCli.run(args, new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), o, e,
          SecretsConfig.of(Map.of(), Map.copyOf(settings)));
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
