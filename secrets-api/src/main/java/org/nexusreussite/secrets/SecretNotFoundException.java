package org.nexusreussite.secrets;

import java.util.List;

/**
 * No backend holds the key (or the requested version).
 *
 * <pre>{@code Secret 'X' not found (searched: env, vault[secret/nexus-reussite], dotenv[.env])}</pre>
 */
public class SecretNotFoundException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final String key;
  private final List<String> searched;

  /**
   * Creates the exception.
   *
   * @param key the key asked for
   * @param what a description of what was asked, e.g. {@code "Secret 'X'"} or {@code "Version 3 of 'X'"}
   * @param searched the backends asked, as described by them
   */
  public SecretNotFoundException(String key, String what, List<String> searched) {
    super(what + " not found (searched: " + (searched.isEmpty() ? "no active backend" : String.join(", ", searched))
        + "). Set it in one of these stores, or check SECRETS_BACKENDS and the profile.");
    this.key = key;
    this.searched = List.copyOf(searched);
  }

  /** Convenience for a missing latest value. */
  public static SecretNotFoundException of(String key, List<String> searched) {
    return new SecretNotFoundException(key, "Secret '" + key + "'", searched);
  }

  /** The key asked for. */
  public String key() {
    return key;
  }

  /** The backends that were asked, in order. */
  public List<String> searched() {
    return searched;
  }
}
