package org.nexusreussite.secrets.spi.support;

/**
 * JSON string literals (RFC 8259 §7), for the few places that write JSON by hand rather than carry a JSON
 * library: a backend editing one field of a JSON secret, the CLI's {@code --format json}. Control characters
 * and U+2028/U+2029 (line terminators in JavaScript) are escaped; everything else is written as is.
 */
public final class JsonStrings {
  private JsonStrings() {}

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    quote(sb, s);
    return sb.toString();
  }

  /** Appends {@code s} as a JSON string literal, quotes included. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append("\\u").append(Character.forDigit(c >> 12, 16)).append(Character.forDigit((c >> 8) & 15, 16))
                .append(Character.forDigit((c >> 4) & 15, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
