package org.nexusreussite.secrets.cli;

import java.util.Locale;

/** Output formats: {@code text} for people, {@code json} for programs, {@code env} for shells ({@code get}). */
enum Format {
  TEXT, JSON, ENV;

  static Format parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format expects text, json or env");
    }
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
