package org.nexusreussite.secrets;

import java.util.regex.Pattern;

/** Validation of secret keys: {@code [A-Za-z_][A-Za-z0-9_.-]*}, at most 256 characters. */
public final class Keys {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,255}");

  private Keys() {}

  /** True when {@code key} is a valid key. */
  public static boolean isValid(String key) {
    return key != null && KEY.matcher(key).matches();
  }

  /**
   * Returns {@code key} when it is valid.
   *
   * @throws IllegalArgumentException naming the rule; the key itself is shown only when it is short and
   *     printable, since a value pasted by mistake must not reach a log
   */
  public static String requireValid(String key) {
    if (!isValid(key)) {
      throw new IllegalArgumentException("Invalid secret key " + printable(key)
          + ": keys match [A-Za-z_][A-Za-z0-9_.-]* and have at most 256 characters");
    }
    return key;
  }

  private static String printable(String key) {
    if (key == null) {
      return "null";
    }
    if (key.isEmpty()) {
      return "''";
    }
    // an invalid key may be a value pasted into the wrong place: describe it, do not print it
    return "(" + key.length() + " characters)";
  }
}
