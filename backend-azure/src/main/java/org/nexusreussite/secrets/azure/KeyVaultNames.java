package org.nexusreussite.secrets.azure;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Keys;

/**
 * Maps keys to Key Vault secret names and back. Key Vault names hold only letters, digits and dashes
 * (1 to 127 characters) and are case-insensitive, so {@code DATABASE_URL} is stored as {@code DATABASE-URL}.
 *
 * <p>The mapping is not one-to-one: {@code A_B} and {@code A-B}, or {@code db_url} and {@code DB_URL},
 * land on the same secret. Rather than let two keys silently share a value, the first key to use a name
 * claims it for the life of the backend and any other key mapping to it is refused with both keys named.
 * A {@code .} has no safe mapping (turning it into a dash as well would merge three spellings) and is refused.
 * Thread-safe.
 */
final class KeyVaultNames {
  static final int MAX_LENGTH = 127;

  private final String vaultUrl;
  private final String prefix;
  private final ConcurrentMap<String, String> claims = new ConcurrentHashMap<>();

  KeyVaultNames(String vaultUrl, String prefix) {
    this.vaultUrl = vaultUrl;
    this.prefix = prefix;
  }

  /** The mapped prefix, e.g. {@code myapp-}. */
  String prefix() {
    return prefix;
  }

  /**
   * Maps a prefix setting ({@code myapp_} -> {@code myapp-}).
   *
   * @throws BackendConfigurationException naming {@code setting} when it holds other characters
   */
  static String mapPrefix(String setting, String prefix) {
    StringBuilder sb = new StringBuilder(prefix.length());
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (isNameChar(c)) {
        sb.append(c);
      } else if (c == '_') {
        sb.append('-');
      } else {
        throw new BackendConfigurationException(AzureSecretBackend.ID, "Invalid setting " + setting
            + ": Key Vault secret names hold only letters, digits and dashes ('_' is mapped to '-')");
      }
    }
    if (sb.length() >= MAX_LENGTH) {
      throw new BackendConfigurationException(AzureSecretBackend.ID, "Invalid setting " + setting
          + ": too long; Key Vault secret names have at most " + MAX_LENGTH + " characters");
    }
    return sb.toString();
  }

  /**
   * The Key Vault name for {@code key}.
   *
   * @throws BackendConfigurationException naming the key when it cannot be mapped or when another key
   *     already maps to the same name
   * @throws IllegalArgumentException when {@code key} is not a valid key at all
   */
  String toName(String key) {
    Keys.requireValid(key);
    StringBuilder sb = new StringBuilder(prefix.length() + key.length()).append(prefix);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (isNameChar(c)) {
        sb.append(c);
      } else if (c == '_') {
        sb.append('-');
      } else {
        throw new BackendConfigurationException(AzureSecretBackend.ID, "Key '" + key
            + "' cannot be stored in Azure Key Vault " + vaultUrl + ": secret names hold only letters, digits "
            + "and dashes, and '" + c + "' has no unambiguous mapping. Rename the key using '_' (mapped to '-'),"
            + " or serve it from a backend with a higher ordinal");
      }
    }
    String name = sb.toString();
    if (name.length() > MAX_LENGTH) {
      throw new BackendConfigurationException(AzureSecretBackend.ID, "Key '" + key + "' maps to a Key Vault "
          + "secret name of " + name.length() + " characters (prefix included); Key Vault allows at most "
          + MAX_LENGTH);
    }
    String owner = claims.putIfAbsent(name.toLowerCase(Locale.ROOT), key);
    if (owner != null && !owner.equals(key)) {
      throw new BackendConfigurationException(AzureSecretBackend.ID, "Keys '" + owner + "' and '" + key
          + "' both map to the Key Vault secret '" + name + "' in " + vaultUrl + " (names are case-insensitive"
          + " and '_' becomes '-'); use one spelling of the key throughout the application");
    }
    return name;
  }

  /**
   * The key a listed Key Vault name stands for ({@code DATABASE-URL} -> {@code DATABASE_URL}), or empty
   * when the name lacks the prefix or does not make a valid key.
   */
  Optional<String> toKey(String name) {
    if (name == null || !name.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return Optional.empty();
    }
    String key = name.substring(prefix.length()).replace('-', '_');
    return Keys.isValid(key) ? Optional.of(key) : Optional.empty();
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }
}
