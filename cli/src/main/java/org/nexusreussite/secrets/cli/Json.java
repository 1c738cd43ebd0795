package org.nexusreussite.secrets.cli;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.spi.support.JsonStrings;

/**
 * Writes maps, lists, strings, numbers, booleans and nulls as indented JSON. The CLI's JSON is small
 * and flat; a library would be a dependency for forty lines.
 */
final class Json {
  private Json() {}

  static String write(@Nullable Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, @Nullable Object value, int depth) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      quote(sb, s);
    } else if (value instanceof Number || value instanceof Boolean) {
      sb.append(value);
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        newline(sb, depth + 1);
        quote(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), depth + 1);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      newline(sb, depth);
      sb.append('}');
    } else if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      Iterator<?> it = list.iterator();
      while (it.hasNext()) {
        newline(sb, depth + 1);
        write(sb, it.next(), depth + 1);
        if (it.hasNext()) {
          sb.append(',');
        }
      }
      newline(sb, depth);
      sb.append(']');
    } else {
      quote(sb, value.toString());
    }
  }

  private static void newline(StringBuilder sb, int depth) {
    sb.append('\n');
    sb.append("  ".repeat(depth));
  }

  static void quote(StringBuilder sb, String s) {
    JsonStrings.quote(sb, s);
  }
}
