package org.nexusreussite.secrets;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The deployment profile: its name ({@code development} by default, from {@code SECRETS_PROFILE} or else
 * {@code APP_ENV}) and whether it is strict. Strict profiles ({@code production}, {@code prod},
 * {@code staging}, or the list in {@code SECRETS_STRICT_PROFILES}) require every required secret at
 * start, ignore code defaults for required keys, turn the dotenv backend off and refuse {@code http://}
 * endpoints and disabled TLS verification.
 *
 * @param name the profile name, lower case
 * @param strict whether production rules apply
 */
public record Profile(String name, boolean strict) {
  /** The default profile name. */
  public static final String DEFAULT = "development";
  /** The default strict profiles. */
  public static final List<String> DEFAULT_STRICT = List.of("production", "prod", "staging");

  /** Validates the name. */
  public Profile {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("profile name must not be blank");
    }
    name = name.strip().toLowerCase(Locale.ROOT);
  }

  /** The profile configured in {@code config}. */
  public static Profile from(SecretsConfig config) {
    String name = config.firstOf("SECRETS_PROFILE", "APP_ENV").orElse(DEFAULT);
    return named(name, config);
  }

  /** A profile with the given name, strict when {@code config}'s strict list says so. */
  public static Profile named(String name, SecretsConfig config) {
    List<String> strictList = config.list("SECRETS_STRICT_PROFILES");
    Set<String> strict = new HashSet<>();
    for (String s : strictList.isEmpty() ? DEFAULT_STRICT : strictList) {
      strict.add(s.toLowerCase(Locale.ROOT));
    }
    return new Profile(name, strict.contains(name.strip().toLowerCase(Locale.ROOT)));
  }

  /** The {@code development} profile. */
  public static Profile development() {
    return new Profile(DEFAULT, false);
  }

  /** The {@code production} profile (strict). */
  public static Profile production() {
    return new Profile("production", true);
  }
}
