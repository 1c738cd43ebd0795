package org.nexusreussite.secrets;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import org.nexusreussite.secrets.spi.SecretGeneratorProvider;

/**
 * The built-in generators, all drawing from one {@link SecureRandom}, and the parser of generator specs:
 *
 * <ul>
 *   <li>{@code hex:N}: N random bytes as lower-case hex (2N characters), as {@code openssl rand -hex N};
 *   <li>{@code base64:N}, {@code base64url:N}: N random bytes in (URL-safe, unpadded) Base64;
 *   <li>{@code password:N} or {@code password:N:CLASSES}: N characters from the classes named by the letters of
 *       CLASSES ({@code u} upper, {@code l} lower, {@code d} digits, {@code s} symbols; default {@code ulds}),
 *       with at least one of each;
 *   <li>{@code NAME:ARG}: a {@link SecretGeneratorProvider} named NAME, found with ServiceLoader.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class SecretGenerators {
  /** Upper-case letters. */
  public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  /** Lower-case letters. */
  public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  /** Digits. */
  public static final String DIGITS = "0123456789";
  /** Printable ASCII symbols but quotes, backslash, backtick, dollar and space, which break shell and URL quoting. */
  public static final String SYMBOLS = "!#%&()*+,-./:;<=>?@[]^_{|}~";
  /** Longest value a built-in makes: 4096 bytes or characters. */
  public static final int MAX_LENGTH = 4096;
  /** Shortest: 16 bytes (128 bits) for random bytes, 12 characters for passwords. */
  public static final int MIN_BYTES = 16;
  /** Shortest password. */
  public static final int MIN_PASSWORD = 12;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretGenerators() {}

  /** {@code bytes} random bytes as lower-case hex. */
  public static SecretGenerator hex(int bytes) {
    check(bytes, MIN_BYTES, "hex");
    return named("hex:" + bytes, () -> HexFormat.of().formatHex(random(bytes)));
  }

  /** {@code bytes} random bytes in standard Base64, padded. */
  public static SecretGenerator base64(int bytes) {
    check(bytes, MIN_BYTES, "base64");
    return named("base64:" + bytes, () -> Base64.getEncoder().encodeToString(random(bytes)));
  }

  /** {@code bytes} random bytes in URL-safe Base64 without padding (fits JWT HMAC keys and URLs). */
  public static SecretGenerator base64Url(int bytes) {
    check(bytes, MIN_BYTES, "base64url");
    return named("base64url:" + bytes, () -> Base64.getUrlEncoder().withoutPadding().encodeToString(random(bytes)));
  }

  /** A password of {@code length} characters from upper, lower, digits and symbols, at least one of each. */
  public static SecretGenerator password(int length) {
    return password(length, List.of(UPPER, LOWER, DIGITS, SYMBOLS));
  }

  /**
   * A password of {@code length} characters drawn uniformly from the union of {@code classes}, with at least
   * one character of each class.
   *
   * @throws IllegalArgumentException when a class is empty, there are more classes than characters, or the
   *     length is out of range
   */
  public static SecretGenerator password(int length, List<String> classes) {
    check(length, MIN_PASSWORD, "password");
    List<String> cs = List.copyOf(classes);
    if (cs.isEmpty() || cs.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("password generator: every character class must be non-empty");
    }
    if (cs.size() > length) {
      throw new IllegalArgumentException("password generator: " + cs.size() + " required classes do not fit in "
          + length + " characters");
    }
    StringBuilder all = new StringBuilder();
    for (String c : cs) {
      c.chars().filter(ch -> all.indexOf(String.valueOf((char) ch)) < 0).forEach(ch -> all.append((char) ch));
    }
    String alphabet = all.toString();
    return named("password:" + length + "/" + alphabet.length() + " chars/" + cs.size() + " classes", () -> {
      char[] out = new char[length];
      // one of each required class first, the rest from the whole alphabet, then a uniform shuffle so the
      // required characters are not at known positions
      for (int i = 0; i < length; i++) {
        String from = i < cs.size() ? cs.get(i) : alphabet;
        out[i] = from.charAt(RANDOM.nextInt(from.length()));
      }
      for (int i = length - 1; i > 0; i--) {
        int j = RANDOM.nextInt(i + 1);
        char t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      String value = new String(out);
      java.util.Arrays.fill(out, '\0');
      return value;
    });
  }

  /**
   * The generator a spec names ({@code hex:32}, {@code base64:48}, {@code password:32:uld}, or a plug-in's
   * {@code NAME:ARG}).
   *
   * @throws IllegalArgumentException when the spec is not understood; the message lists the forms
   */
  public static SecretGenerator parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String s = spec.strip();
    int colon = s.indexOf(':');
    String name = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? "" : s.substring(colon + 1);
    switch (name) {
      case "hex":
        return hex(number(arg, spec));
      case "base64":
        return base64(number(arg, spec));
      case "base64url":
        return base64Url(number(arg, spec));
      case "password":
        return passwordSpec(arg, spec);
      default:
        break;
    }
    List<String> known = new ArrayList<>(List.of("hex", "base64", "base64url", "password"));
    for (SecretGeneratorProvider p : ServiceLoader.load(SecretGeneratorProvider.class,
        SecretGenerators.class.getClassLoader())) {
      if (p.name().equals(name)) {
        return p.create(arg);
      }
      known.add(p.name());
    }
    throw new IllegalArgumentException("Unknown generator '" + safe(name) + "': use hex:N, base64:N, base64url:N "
        + "(N random bytes, " + MIN_BYTES + ".." + MAX_LENGTH + "), password:N[:ulds], or a plug-in; known: "
        + known);
  }

  private static SecretGenerator passwordSpec(String arg, String spec) {
    int colon = arg.indexOf(':');
    int length = number(colon < 0 ? arg : arg.substring(0, colon), spec);
    String letters = colon < 0 ? "ulds" : arg.substring(colon + 1).toLowerCase(Locale.ROOT);
    List<String> classes = new ArrayList<>();
    for (char c : letters.toCharArray()) {
      String cls = switch (c) {
        case 'u' -> UPPER;
        case 'l' -> LOWER;
        case 'd' -> DIGITS;
        case 's' -> SYMBOLS;
        default -> throw new IllegalArgumentException("password generator: class letters are u (upper), l (lower), "
            + "d (digits), s (symbols), as in password:32:ulds");
      };
      if (!classes.contains(cls)) {
        classes.add(cls);
      }
    }
    return password(length, classes);
  }

  private static int number(String text, String spec) {
    if (!text.matches("\\d{1,5}")) {
      throw new IllegalArgumentException("Generator spec '" + safe(spec) + "' needs a length: hex:32, base64:48, "
          + "base64url:32, password:32");
    }
    return Integer.parseInt(text);
  }

  /** A spec comes from a command line or policy file, not from a store: still, never echo a long one. */
  private static String safe(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  private static void check(int n, int min, String what) {
    if (n < min || n > MAX_LENGTH) {
      throw new IllegalArgumentException(what + " generator: length " + n + " is outside " + min + ".." + MAX_LENGTH);
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private interface Text {
    String make();
  }

  private static SecretGenerator named(String description, Text text) {
    return new SecretGenerator() {
      @Override
      public SecretValue generate() {
        return SecretValue.of(text.make());
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public String toString() {
        return "SecretGenerator[" + description + "]";
      }
    };
  }
}
