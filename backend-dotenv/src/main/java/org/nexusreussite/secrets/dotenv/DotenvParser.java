package org.nexusreussite.secrets.dotenv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.Keys;

/**
 * Parses {@code .env} files the way motdotla/dotenv and dotenv-expand do, with two deliberate differences:
 * an inline {@code #} starts a comment only after a space or tab (so {@code PASSWORD=S3cr3t#rD} keeps its
 * {@code #}, as in shells, python-dotenv and Ruby dotenv), and single-quoted values are literal (no
 * expansion). The module README has the full table of what is supported.
 *
 * <p>Expansion is sequential: a reference sees the environment first (which outranks {@code .env} files
 * in the resolver too), then the value most recently defined before it, in this file or in a file parsed
 * earlier into the same map. So {@link #parse(String, String, Map)} is called once per file, in order,
 * with one shared map.
 *
 * <p>Malformed input raises {@link InvalidSecretSourceException} naming the file, the line and the
 * problem, never the line's content: a value with a stray quote is still a secret. In lenient mode the
 * offending line is skipped instead, the problem is handed to the warning callback, and parsing resumes
 * on the next line, so one bad line never takes the lines after it along.
 *
 * <p>Expansion is bounded, so a hostile or broken file fails with a line number instead of exhausting the
 * stack or the heap: references nest at most {@value #MAX_NESTING} levels deep ({@code ${A:-${B:-...}}}),
 * a value that uses references expands to at most {@value #MAX_EXPANDED_VALUE} characters, and the
 * references of one file add at most {@value #MAX_EXPANDED_TOTAL} characters to its values in total (a
 * file whose every line doubles the previous value would otherwise need exabytes by line 64). The parser
 * works on a loop over the text plus recursion only for nested defaults, so its stack depth is bounded by
 * the nesting limit, not by the input.
 *
 * <p>Instances hold no per-parse state and are thread-safe.
 */
final class DotenvParser {
  /** How deep {@code ${VAR:-default}} references may nest. */
  static final int MAX_NESTING = 32;
  /** The most characters a value that uses references may expand to (64 KiB). */
  static final int MAX_EXPANDED_VALUE = 64 * 1024;
  /** The most characters that references may add to the values of one file, all lines together (1 MiB). */
  static final int MAX_EXPANDED_TOTAL = 1024 * 1024;

  private final String backendId;
  private final Map<String, String> environment;
  private final boolean lenient;
  private final Consumer<InvalidSecretSourceException> skipped;

  /**
   * A parser.
   *
   * @param backendId the backend id for exceptions
   * @param environment variables that references see first
   * @param lenient skip malformed lines instead of throwing
   * @param skipped told about each skipped line in lenient mode
   */
  DotenvParser(String backendId, Map<String, String> environment, boolean lenient,
      Consumer<InvalidSecretSourceException> skipped) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    this.environment = Map.copyOf(environment);
    this.lenient = lenient;
    this.skipped = Objects.requireNonNull(skipped, "skipped");
  }

  /** A strict parser: malformed input throws. */
  static DotenvParser strict(Map<String, String> environment) {
    return new DotenvParser(DotenvBackendProvider.ID, environment, false, e -> { });
  }

  /** Parses one file on its own into a new map, in file order. */
  Map<String, String> parse(String source, String content) {
    Map<String, String> values = new LinkedHashMap<>();
    parse(source, content, values);
    return values;
  }

  /**
   * Parses {@code content} and puts its keys into {@code values}, overwriting earlier definitions.
   * References see {@code values} as it stands at each line.
   *
   * @param source the file name for messages, e.g. {@code .env}
   * @throws InvalidSecretSourceException on malformed input, unless lenient
   */
  void parse(String source, String content, Map<String, String> values) {
    String text = normalise(content);
    Budget budget = new Budget();
    int pos = 0;
    int line = 1;
    while (pos < text.length()) {
      int eol = endOfLine(text, pos);
      Statement st;
      try {
        st = statement(text, pos, eol, line);
      } catch (Malformed m) {
        malformed(source, m);
        // only the line where the statement starts is dropped: the next one is parsed on its own, so an
        // unterminated quote cannot swallow the keys that follow it
        pos = Math.min(eol + 1, text.length());
        line++;
        continue;
      }
      if (st.key != null) {
        try {
          values.put(st.key, st.value(this, values, budget));
        } catch (Malformed m) {
          malformed(source, m); // the statement was well delimited: skip all of it
        }
      }
      line += count(text, pos, st.end);
      pos = st.end;
    }
  }

  private void malformed(String source, Malformed m) {
    InvalidSecretSourceException e = new InvalidSecretSourceException(backendId, source, m.line, m.problem);
    if (!lenient) {
      throw e;
    }
    skipped.accept(e);
  }

  // ------------------------------------------------------------------ lines

  /** Drops a UTF-8 byte order mark and turns CRLF and CR into LF, as motdotla/dotenv does. */
  private static String normalise(String content) {
    String s = content;
    if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
      s = s.substring(1);
    }
    if (s.indexOf('\r') >= 0) {
      s = s.replace("\r\n", "\n").replace('\r', '\n');
    }
    return s;
  }

  private static int endOfLine(String text, int from) {
    int i = text.indexOf('\n', from);
    return i < 0 ? text.length() : i;
  }

  private static int count(String text, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\u000B';
  }

  private static int skipBlanks(String text, int pos, int limit) {
    while (pos < limit && blank(text.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  /** How a value is written, which decides its escapes and expansion. */
  private enum Style {
    UNQUOTED, SINGLE, DOUBLE, BACKTICK;

    String quoteName() {
      return switch (this) {
        case SINGLE -> "single quote";
        case DOUBLE -> "double quote";
        case BACKTICK -> "backtick";
        case UNQUOTED -> "value";
      };
    }
  }

  /** One parsed statement: a key with its raw value, or a blank or comment line (key null). */
  private static final class Statement {
    /** Null for a blank or comment line, as are {@code raw} and {@code style}. */
    final @Nullable String key;
    final @Nullable String raw;
    final @Nullable Style style;
    final int line;
    final int end;

    Statement(@Nullable String key, @Nullable String raw, @Nullable Style style, int line, int end) {
      this.key = key;
      this.raw = raw;
      this.style = style;
      this.line = line;
      this.end = end;
    }

    String value(DotenvParser parser, Map<String, String> values, Budget budget) {
      // asked only of a statement with a key, which always has its text and style
      String text = Objects.requireNonNull(raw, "raw");
      return switch (Objects.requireNonNull(style, "style")) {
        case SINGLE -> text;
        case DOUBLE -> parser.expand(text, true, line, values, budget, 0);
        case UNQUOTED, BACKTICK -> parser.expand(text, false, line, values, budget, 0);
      };
    }
  }

  /** Parses the statement starting at {@code pos}; {@code end} is past its last line's newline. */
  private static Statement statement(String text, int pos, int eol, int line) {
    int next = Math.min(eol + 1, text.length());
    int i = skipBlanks(text, pos, eol);
    if (i == eol || text.charAt(i) == '#') {
      return new Statement(null, null, null, line, next);
    }
    if (text.startsWith("export", i) && i + 6 < eol && blank(text.charAt(i + 6))) {
      i = skipBlanks(text, i + 6, eol);
    }
    int keyStart = i;
    while (i < eol && text.charAt(i) != '=' && !blank(text.charAt(i))) {
      i++;
    }
    String key = text.substring(keyStart, i);
    i = skipBlanks(text, i, eol);
    if (i == eol || text.charAt(i) != '=') {
      throw new Malformed(line, "not a KEY=value line (expected '=' after the key)");
    }
    if (key.isEmpty()) {
      throw new Malformed(line, "missing key before '='");
    }
    if (!Keys.isValid(key)) {
      // the key is not printed: a line without a proper key may be a pasted value
      throw new Malformed(line, "invalid key: keys match [A-Za-z_][A-Za-z0-9_.-]* (at most 256 characters)");
    }
    i = skipBlanks(text, i + 1, eol);
    if (i < eol) {
      char c = text.charAt(i);
      Style style = c == '"' ? Style.DOUBLE : c == '\'' ? Style.SINGLE : c == '`' ? Style.BACKTICK : null;
      if (style != null) {
        return quoted(text, key, i, style, line);
      }
    }
    int valueEnd = eol;
    for (int j = i; j < eol; j++) {
      if (text.charAt(j) == '#' && blank(text.charAt(j - 1))) {
        valueEnd = j;
        break;
      }
    }
    String raw = text.substring(i, valueEnd).strip();
    return new Statement(key, raw, Style.UNQUOTED, line, next);
  }

  /** A quoted value, which may span lines; a backslash before the quote character does not close it. */
  private static Statement quoted(String text, String key, int open, Style style, int line) {
    char q = text.charAt(open);
    int i = open + 1;
    int close = -1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length() && (style == Style.DOUBLE || text.charAt(i + 1) == q)) {
        i += 2;
        continue;
      }
      if (c == q) {
        close = i;
        break;
      }
      i++;
    }
    if (close < 0) {
      throw new Malformed(line, "unterminated " + style.quoteName() + " (opened on this line, never closed)");
    }
    int closeLine = line + count(text, open, close);
    int eol = endOfLine(text, close);
    int after = skipBlanks(text, close + 1, eol);
    if (after < eol && text.charAt(after) != '#') {
      if (closeLine > line) {
        throw new Malformed(line, "the " + style.quoteName() + " opened on this line closes on line " + closeLine
            + " and is followed by more text there; is a closing " + style.quoteName() + " missing?");
      }
      throw new Malformed(line, "unexpected text after the closing " + style.quoteName()
          + " (only a # comment may follow)");
    }
    String raw = text.substring(open + 1, close);
    return new Statement(key, raw, style, line, Math.min(eol + 1, text.length()));
  }

  // ------------------------------------------------------------------ expansion

  /**
   * Expands {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR-default}}; {@code \$}
   * is a literal dollar. With {@code escapes} (double quotes), also {@code \n \r \t \" \\}.
   *
   * @param depth how many {@code ${...:-}} defaults enclose {@code raw}
   */
  private String expand(String raw, boolean escapes, int line, Map<String, String> values, Budget budget,
      int depth) {
    if (raw.indexOf('$') < 0 && (!escapes || raw.indexOf('\\') < 0)) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    int i = 0;
    int n = raw.length();
    while (i < n) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char e = raw.charAt(i + 1);
        if (e == '$') {
          out.append('$');
          i += 2;
          continue;
        }
        if (escapes) {
          int r = switch (e) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case '"' -> '"';
            case '\\' -> '\\';
            default -> -1;
          };
          if (r >= 0) {
            out.append((char) r);
            i += 2;
            continue;
          }
        }
        out.append(c);
        i++;
        continue;
      }
      if (c != '$' || i + 1 >= n) {
        out.append(c);
        i++;
        continue;
      }
      char d = raw.charAt(i + 1);
      if (d == '{') {
        // the whole reference is measured before any of it is expanded, so the recursion below is
        // at most MAX_NESTING deep whatever the input
        int close = matchingBrace(raw, i + 2, MAX_NESTING - depth, line);
        if (close < 0) {
          throw new Malformed(line, "unterminated ${ reference (missing })");
        }
        append(out, braced(raw.substring(i + 2, close), escapes, line, values, budget, depth), line);
        i = close + 1;
      } else if (d == '_' || isAsciiLetter(d)) {
        int j = i + 1;
        while (j < n && (raw.charAt(j) == '_' || isAsciiLetter(raw.charAt(j)) || isAsciiDigit(raw.charAt(j)))) {
          j++;
        }
        String v = lookup(raw.substring(i + 1, j), values);
        append(out, budget.take(v, line), line);
        i = j;
      } else {
        out.append(c); // a lone $, as in DOLLAR=$ or a price: kept
        i++;
      }
    }
    return out.toString();
  }

  /** Appends a substitution, refusing to let one value grow past {@link #MAX_EXPANDED_VALUE}. */
  private static void append(StringBuilder out, String piece, int line) {
    if ((long) out.length() + piece.length() > MAX_EXPANDED_VALUE) {
      throw new Malformed(line, "the value expands to more than " + MAX_EXPANDED_VALUE + " characters, the "
          + "limit for a value built from references; check for references that repeat a large value");
    }
    out.append(piece);
  }

  private String braced(String inner, boolean escapes, int line, Map<String, String> values, Budget budget,
      int depth) {
    int j = 0;
    while (j < inner.length() && isNameChar(inner.charAt(j), j == 0)) {
      j++;
    }
    if (j == 0) {
      throw new Malformed(line, "invalid ${...} reference: expected a variable name after ${");
    }
    String name = inner.substring(0, j);
    String rest = inner.substring(j);
    String v = lookup(name, values);
    if (rest.isEmpty()) {
      return budget.take(v, line);
    }
    if (rest.startsWith(":-")) {
      return v == null || v.isEmpty() ? expand(rest.substring(2), escapes, line, values, budget, depth + 1)
          : budget.take(v, line);
    }
    if (rest.startsWith("-")) {
      return v == null ? expand(rest.substring(1), escapes, line, values, budget, depth + 1)
          : budget.take(v, line);
    }
    throw new Malformed(line, "unsupported ${...} reference: use ${VAR}, ${VAR:-default} or ${VAR-default}");
  }

  private @Nullable String lookup(String name, Map<String, String> values) {
    String v = environment.get(name);
    return v != null ? v : values.get(name);
  }

  /**
   * The index of the } closing a ${ whose body starts at {@code from}, counting nested ${...}, or -1.
   *
   * @param allowed how many levels of ${ this reference may hold, itself included
   * @throws Malformed when the reference nests deeper than allowed
   */
  private static int matchingBrace(String s, int from, int allowed, int line) {
    int depth = 1;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
        if (++depth > allowed) {
          throw new Malformed(line, "references nested more than " + MAX_NESTING + " levels deep "
              + "(${VAR:-${...}}); flatten the defaults");
        }
        i++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** What references may still add to the values of the file being parsed. */
  private static final class Budget {
    private long left = MAX_EXPANDED_TOTAL;

    /** {@code value}, or "" for an unset variable, charged to the file's budget. */
    String take(@Nullable String value, int line) {
      if (value == null) {
        return "";
      }
      left -= value.length();
      if (left < 0) {
        throw new Malformed(line, "references in this file expand to more than " + MAX_EXPANDED_TOTAL
            + " characters in total, the limit for one file; check for references that repeat a large value");
      }
      return value;
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    if (c == '_' || isAsciiLetter(c)) {
      return true;
    }
    // a dash would be read as the ${VAR-default} operator, so braced names allow dots but not dashes
    return !first && (isAsciiDigit(c) || c == '.');
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A problem on a line; turned into {@link InvalidSecretSourceException} with the file name. */
  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final String problem;

    Malformed(int line, String problem) {
      super(problem, null, false, false);
      this.line = line;
      this.problem = problem;
    }
  }
}
