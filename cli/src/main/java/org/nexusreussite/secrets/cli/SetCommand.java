package org.nexusreussite.secrets.cli;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.WriteOptions;

/**
 * {@code secrets set KEY}: the value comes from standard input only (a pipe, or typed without echo at a
 * terminal), never from an argument, so it never reaches {@code ps}, {@code /proc/<pid>/cmdline} or shell
 * history. One trailing newline is removed ({@code echo value | secrets set KEY}); an empty value is refused
 * unless {@code --allow-empty}.
 */
final class SetCommand {
  /** Largest value read from standard input: secrets are small; a bigger input is a mistake (a file). */
  static final int MAX_VALUE_BYTES = 64 * 1024;

  private final SecretsCli cli;

  SetCommand(SecretsCli cli) {
    this.cli = cli;
  }

  int run() {
    CommandLine cl = cli.commandLine();
    String key = cl.key();
    String value = readValue(key);
    if (value.isEmpty() && !cl.flag("--allow-empty")) {
      throw new UsageException("refusing to set '" + key + "' to an empty value (standard input was empty); pipe "
          + "the value in, e.g. printf '%s' \"$VALUE\" | secrets set " + key + ", or pass --allow-empty");
    }
    WriteOptions.Builder options = WriteOptions.builder().createIfMissing(true);
    cl.value("--backend").ifPresent(options::backend);
    cl.value("--expect-version").ifPresent(options::expectedVersion);
    SecretValue secret = SecretValue.of(value);
    try (SecretResolver resolver = cli.open()) {
      SecretWrite written = resolver.admin().write(key, secret, options.build());
      print(cli, "set", written, secret);
      return ExitCodes.OK;
    }
  }

  private String readValue(String key) {
    InputStream in = cli.in();
    if (in == System.in && stdinIsTerminal()) {
      // a terminal is read without echo or not at all: on JDK 17 System.console() is null when standard output
      // is redirected, and reading the terminal as a stream would show the value as it is typed
      Console console = System.console();
      if (console == null) {
        throw new UsageException("standard input is a terminal but standard output is redirected, so '" + key
            + "' cannot be typed without being shown; pipe the value in (printf '%s' \"$VALUE\" | secrets set "
            + key + " ...) or leave standard output on the terminal");
      }
      char[] typed = console.readPassword("Value for %s (not shown): ", key);
      if (typed == null) {
        return "";
      }
      String v = new String(typed);
      Arrays.fill(typed, '\0');
      return v;
    }
    byte[] bytes;
    try {
      bytes = in.readNBytes(MAX_VALUE_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input", e);
    }
    if (bytes.length > MAX_VALUE_BYTES) {
      throw new UsageException("standard input holds more than " + MAX_VALUE_BYTES + " bytes; a secret value is "
          + "expected, not a file");
    }
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    try {
      String v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end)).toString();
      Arrays.fill(bytes, (byte) 0);
      return v;
    } catch (CharacterCodingException e) {
      throw new UsageException("standard input is not UTF-8 text; secrets are stored as text");
    }
  }

  /**
   * Whether this process's standard input is a terminal, asked of {@code test -t 0} with that input (JDK 17 has
   * no {@code Console.isTerminal()}; from JDK 22 {@code System.console()} is not null for piped input either).
   */
  static boolean stdinIsTerminal() {
    try {
      Process test = new ProcessBuilder("/bin/sh", "-c", "test -t 0").redirectInput(ProcessBuilder.Redirect.INHERIT)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!test.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        test.destroyForcibly();
        return false;
      }
      return test.exitValue() == 0;
    } catch (IOException e) {
      return System.console() != null; // no /bin/sh: the JDK's guess
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** One line (or one JSON object) for a write: key, backend, old -> new version, fingerprint. */
  static void print(SecretsCli cli, String verb, SecretWrite w, SecretValue value) {
    String previous = w.previous().map(v -> v.id()).orElse(null);
    if (cli.commandLine().format() == Format.JSON) {
      cli.out().println(Json.write(json(cli, verb, w, value)));
      return;
    }
    cli.out().println(verb + " " + w.key() + " in " + w.backend() + ": version "
        + (previous == null ? "(new)" : previous) + " -> " + w.current().id() + " (" + cli.fingerprint(value) + ")");
  }

  static Map<String, Object> json(SecretsCli cli, String verb, SecretWrite w, SecretValue value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", w.key());
    m.put("action", verb);
    m.put("backend", w.backend());
    m.put("previous", w.previous().map(v -> v.id()).orElse(null));
    m.put("current", w.current().id());
    m.put("fingerprint", cli.fingerprint(value));
    return m;
  }
}
