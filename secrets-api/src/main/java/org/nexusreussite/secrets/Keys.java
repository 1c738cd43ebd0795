package org.nexusreussite.secrets;

/** Validation of secret keys: {@code [A-Za-z_][A-Za-z0-9_.-]*}, at most 256 characters. */
public final class Keys {
  private static final int MAX_LENGTH = 256;

  private Keys() {}

  /** True when {@code key} is a valid key. */
  public static boolean isValid(String key) {
    // a loop rather than a regex: every first read checks its key, and java.util.regex's first use costs
    // a JVM a few milliseconds of start-up (issue 18)
    if (key == null || key.isEmpty() || key.length() > MAX_LENGTH || !isStart(key.charAt(0))) {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!isStart(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-') {
        return false;
      }
    }
    return true;
  }

  private static boolean isStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
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
