package org.nexusreussite.secrets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several keys read as one consistent set: the keys that one backend keeps in one source (a Vault path,
 * an AWS JSON secret, one kubelet {@code ..data} generation, one {@code .env} file) come from one read of
 * that source. Keys served by different backends cannot be read atomically across the backends; each
 * backend's share is consistent.
 *
 * <pre>{@code
 * SecretGroup db = resolver.group("DB_USER", "DB_PASSWORD");
 * pool.setCredentials(db.get("DB_USER"), db.get("DB_PASSWORD"));
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@code toString()} shows keys, versions and sources, never values.
 */
public final class SecretGroup {
  private final Map<String, Secret> secrets;

  /**
   * Creates a group.
   *
   * @param secrets key -> secret, in the order the keys were asked for
   */
  public SecretGroup(Map<String, Secret> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("A secret group needs at least one key");
    }
    this.secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
  }

  /** The keys, in the order they were asked for. */
  public List<String> keys() {
    return List.copyOf(secrets.keySet());
  }

  /**
   * The value of {@code key}.
   *
   * @throws IllegalArgumentException when {@code key} is not in this group
   */
  public String get(String key) {
    return secret(key).value().reveal();
  }

  /**
   * The secret of {@code key}, with version and source.
   *
   * @throws IllegalArgumentException when {@code key} is not in this group
   */
  public Secret secret(String key) {
    Secret s = secrets.get(key);
    if (s == null) {
      throw new IllegalArgumentException("Key '" + Keys.requireValid(key) + "' is not in this group "
          + secrets.keySet());
    }
    return s;
  }

  /** Every key's secret, in the order the keys were asked for. */
  public Map<String, Secret> secrets() {
    return secrets;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SecretGroup[");
    String sep = "";
    for (Secret s : secrets.values()) {
      sb.append(sep).append(s.key()).append(' ').append(s.version().id()).append(" from ").append(s.backend());
      sep = ", ";
    }
    return sb.append(']').toString();
  }
}
