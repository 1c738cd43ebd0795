package org.nexusreussite.secrets.vault.internal;

import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of fields in Vault's answers that never throw. The driver's {@code getLong}, {@code getBoolean}
 * and {@code getString} throw {@code UnsupportedOperationException} for a field of another type, with the
 * field's value in the message, and {@code NumberFormatException} for numbers such as {@code 1e400}
 * (found by fuzzing): an answer that is not what Vault sends must not end in an exception outside the
 * SDK's contract, nor in a message quoting what may be a secret. A field of the wrong shape reads as
 * absent.
 */
public final class JsonFields {
  private JsonFields() {}

  /** The field as a long, or {@code fallback} when absent, not a number or not a long integer. */
  public static long longOr(JsonObject object, String name, long fallback) {
    JsonValue v = object.get(name);
    if (v == null || !v.isNumber()) {
      return fallback;
    }
    try {
      return v.asLong();
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  /** The field as a boolean, or {@code fallback} when absent or not a boolean. */
  public static boolean boolOr(JsonObject object, String name, boolean fallback) {
    JsonValue v = object.get(name);
    return v != null && v.isBoolean() ? v.asBoolean() : fallback;
  }

  /** The field as a string, or {@code fallback} (which may be null) when absent or not a string. */
  public static @Nullable String stringOr(JsonObject object, String name, @Nullable String fallback) {
    JsonValue v = object.get(name);
    return v != null && v.isString() ? v.asString() : fallback;
  }
}
