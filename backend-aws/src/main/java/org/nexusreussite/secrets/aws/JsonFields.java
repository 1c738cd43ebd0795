package org.nexusreussite.secrets.aws;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.spi.support.JsonStrings;

/**
 * A strict RFC 8259 parser for the one shape the JSON layout needs: a top-level object whose fields
 * become keys. String fields give their decoded text; numbers, {@code true} and {@code false} give their
 * literal text (RDS-managed secrets store {@code "port": 5432}); {@code null} fields are left out; a
 * nested object or array gives its exact JSON text.
 *
 * <p>Why not a library: the AWS SDK's own JSON classes ({@code software.amazon.awssdk.protocols.jsoncore},
 * the shaded Jackson core) are marked {@code @SdkProtectedApi} or are relocated internals, so they may
 * change in any SDK release; adding Jackson or Gson for one flat object would add a jar to every user's
 * class path. A hundred lines of strict parsing is cheaper.
 *
 * <p>Problems are reported with a character position and what was expected, never with the content:
 * the input is a secret. Stateless and thread-safe.
 */
final class JsonFields {
  private static final int MAX_DEPTH = 64;

  /** The input is not a JSON object; the message holds no content. */
  static final class JsonProblem extends Exception {
    private static final long serialVersionUID = 1L;

    JsonProblem(String message) {
      super(message, null, false, false);
    }
  }

  private final String text;
  private int pos;
  /** Where each top-level value starts and ends, when {@link #withField} asks. */
  private @Nullable Map<String, int[]> spans;

  private JsonFields(String text) {
    this.text = text;
  }

  /**
   * The fields of a JSON object, in document order.
   *
   * @throws JsonProblem when {@code text} is not exactly one JSON object, or a field name repeats
   */
  static Map<String, String> parse(String text) throws JsonProblem {
    JsonFields parser = new JsonFields(text);
    parser.skipWhitespace();
    if (parser.pos >= text.length()) {
      throw new JsonProblem("it is empty, expected a JSON object such as {\"KEY\": \"value\"}");
    }
    if (text.charAt(parser.pos) != '{') {
      throw new JsonProblem("expected a JSON object starting with '{' at character " + (parser.pos + 1)
          + " but found " + parser.kindAt(parser.pos));
    }
    Map<String, String> fields = parser.object();
    parser.skipWhitespace();
    if (parser.pos < text.length()) {
      throw parser.problem("unexpected text after the closing '}'");
    }
    return Collections.unmodifiableMap(fields);
  }

  /**
   * {@code text} with the top-level field {@code name} set to the string {@code value}: its old value's text
   * is replaced in place, or the field is added before the closing brace. Everything else, other fields'
   * exact text (numbers, nested objects) and whitespace included, is kept.
   *
   * @throws JsonProblem when {@code text} is not one JSON object (as {@link #parse})
   */
  static String withField(String text, String name, String value) throws JsonProblem {
    parse(text);
    JsonFields parser = new JsonFields(text);
    parser.spans = new LinkedHashMap<>();
    parser.skipWhitespace();
    parser.object();
    int[] span = parser.spans.get(name);
    if (span != null) {
      return text.substring(0, span[0]) + quote(value) + text.substring(span[1]);
    }
    int close = text.lastIndexOf('}');
    String member = quote(name) + ":" + quote(value);
    return text.substring(0, close) + (parser.spans.isEmpty() ? member : "," + member) + text.substring(close);
  }

  private static String quote(String s) {
    return JsonStrings.quote(s);
  }

  private Map<String, String> object() throws JsonProblem {
    Map<String, String> fields = new LinkedHashMap<>();
    pos++; // '{'
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return fields;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw problem("expected a field name in double quotes");
      }
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      int valueStart = pos;
      String value = value(1);
      if (spans != null) {
        spans.put(name, new int[] {valueStart, pos});
      }
      if (fields.containsKey(name)) {
        throw new JsonProblem("the field " + (Keys.isValid(name) ? "'" + name + "'" : "name") + " appears twice");
      }
      fields.put(name, value);
      skipWhitespace();
      char c = peek();
      if (c == ',') {
        pos++;
      } else if (c == '}') {
        pos++;
        // null fields are kept as a marker only to detect duplicates; drop them now
        fields.values().removeIf(v -> v == null);
        return fields;
      } else {
        throw problem("expected ',' or '}'");
      }
    }
  }

  /** A value as text: decoded for strings, literal for numbers and booleans, null for null, raw for nested. */
  private @Nullable String value(int depth) throws JsonProblem {
    char c = peek();
    switch (c) {
      case '"':
        return string();
      case '{':
      case '[': {
        int start = pos;
        skipNested(depth);
        return text.substring(start, pos);
      }
      case 't':
        literal("true");
        return "true";
      case 'f':
        literal("false");
        return "false";
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          int start = pos;
          number();
          return text.substring(start, pos);
        }
        throw problem("expected a value");
    }
  }

  private void skipNested(int depth) throws JsonProblem {
    if (depth > MAX_DEPTH) {
      throw problem("nested deeper than " + MAX_DEPTH + " levels");
    }
    char open = text.charAt(pos++);
    char close = open == '{' ? '}' : ']';
    skipWhitespace();
    if (peek() == close) {
      pos++;
      return;
    }
    while (true) {
      skipWhitespace();
      if (open == '{') {
        if (peek() != '"') {
          throw problem("expected a field name in double quotes");
        }
        string();
        skipWhitespace();
        expect(':');
        skipWhitespace();
      }
      char c = peek();
      if (c == '{' || c == '[') {
        skipNested(depth + 1);
      } else {
        value(depth + 1);
      }
      skipWhitespace();
      char next = peek();
      if (next == ',') {
        pos++;
      } else if (next == close) {
        pos++;
        return;
      } else {
        throw problem("expected ',' or '" + close + "'");
      }
    }
  }

  private String string() throws JsonProblem {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw problem("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        pos--;
        throw problem("control character inside a string (escape it, e.g. \\n)");
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw problem("unterminated escape sequence");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(unicodeEscape());
        default -> {
          pos--;
          throw problem("invalid escape sequence");
        }
      }
    }
  }

  private char unicodeEscape() throws JsonProblem {
    if (pos + 4 > text.length()) {
      throw problem("incomplete \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        pos += i;
        throw problem("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private void number() throws JsonProblem {
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw problem("invalid number");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw problem("invalid number: digits expected after '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw problem("invalid number: digits expected in the exponent");
      }
      digits();
    }
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) throws JsonProblem {
    if (!text.startsWith(word, pos)) {
      throw problem("expected a value");
    }
    pos += word.length();
  }

  private void expect(char c) throws JsonProblem {
    if (peek() != c) {
      throw problem("expected '" + c + "'");
    }
    pos++;
  }

  /** The current character, or NUL at the end. */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private JsonProblem problem(String what) {
    if (pos >= text.length()) {
      return new JsonProblem(what + " but the text ended at character " + (text.length() + 1));
    }
    return new JsonProblem(what + " at character " + (pos + 1) + " (found " + kindAt(pos) + ")");
  }

  /** What kind of character is at {@code i}, without quoting letters or digits that may be the secret. */
  private String kindAt(int i) {
    char c = text.charAt(i);
    if (Character.isLetterOrDigit(c)) {
      return Character.isDigit(c) ? "a digit" : "a letter";
    }
    if (c < 0x20 || c > 0x7e) {
      return "a non-printable or non-ASCII character";
    }
    // punctuation alone reveals nothing usable and tells the reader what went wrong
    return "'" + c + "'";
  }
}
