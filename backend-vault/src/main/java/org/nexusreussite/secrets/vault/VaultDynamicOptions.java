package org.nexusreussite.secrets.vault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * Vault dynamic secrets served as keys: each source is a path that issues credentials with a lease (for
 * example {@code database/creds/app}, whose {@code username} and {@code password} fields become
 * {@code DB_USER} and {@code DB_PASSWORD}). The backend renews the lease while Vault allows it, reads new
 * credentials {@link #margin()} before the lease's end, revokes the old lease {@link #grace()} after the
 * switch, and tells the resolver, which fires the group rotation (a bound pool then swaps).
 *
 * <p>Setting {@value #DYNAMIC}: sources separated by {@code ;}, each {@code KEYS@path}; {@code KEYS} is a
 * comma list of {@code KEY=field}, where a bare {@code KEY} takes {@code username} (first) or
 * {@code password} (second): {@code DB_USER,DB_PASSWORD@database/creds/app}. Immutable, thread-safe.
 */
public final class VaultDynamicOptions {
  /** Dynamic sources, {@code DB_USER,DB_PASSWORD@database/creds/app;...}. */
  public static final String DYNAMIC = "SECRETS_VAULT_DYNAMIC";
  /** How long before a lease ends its replacement is read (default 1m). */
  public static final String MARGIN = "SECRETS_VAULT_DYNAMIC_MARGIN";
  /** How long after the switch the old lease is revoked (default 30s). */
  public static final String GRACE = "SECRETS_VAULT_DYNAMIC_GRACE";

  /** Default {@link #margin()}. */
  public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(1);
  /** Default {@link #grace()}. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private static final String[] DEFAULT_FIELDS = {"username", "password"};

  /**
   * One dynamic path and the keys it serves.
   *
   * @param path the Vault path read for credentials, e.g. {@code database/creds/app}
   * @param fields key -> field of the answer's {@code data}, in the order given
   */
  public record Source(String path, Map<String, String> fields) {
    /** Validates and copies. */
    public Source {
      Objects.requireNonNull(path, "path");
      if (path.isBlank() || path.startsWith("/")) {
        throw new IllegalArgumentException("a dynamic path must be relative, like database/creds/app");
      }
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("a dynamic path needs at least one key");
      }
      fields.keySet().forEach(Keys::requireValid);
      fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  private static final VaultDynamicOptions NONE = new VaultDynamicOptions(List.of(), DEFAULT_MARGIN, DEFAULT_GRACE);

  private final List<Source> sources;
  private final Duration margin;
  private final Duration grace;

  private VaultDynamicOptions(List<Source> sources, Duration margin, Duration grace) {
    this.sources = List.copyOf(sources);
    if (margin.isNegative() || margin.isZero()) {
      throw new IllegalArgumentException("the margin must be positive");
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("the grace period must not be negative");
    }
    this.margin = margin;
    this.grace = grace;
    List<String> seen = new ArrayList<>();
    for (Source s : this.sources) {
      for (String key : s.fields().keySet()) {
        if (seen.contains(key)) {
          throw new IllegalArgumentException("key " + key + " is served by two dynamic paths");
        }
        seen.add(key);
      }
    }
  }

  /** No dynamic sources. */
  public static VaultDynamicOptions none() {
    return NONE;
  }

  /**
   * Sources as written in {@value #DYNAMIC}, with a margin and a grace period.
   *
   * @throws IllegalArgumentException when the text is malformed (the message says where)
   */
  public static VaultDynamicOptions of(String spec, Duration margin, Duration grace) {
    List<Source> sources = new ArrayList<>();
    for (String entry : spec.split(";")) {
      String e = entry.strip();
      if (e.isEmpty()) {
        continue;
      }
      int at = e.lastIndexOf('@');
      if (at <= 0 || at == e.length() - 1) {
        throw new IllegalArgumentException("'" + e + "' is not KEYS@path (e.g. DB_USER,DB_PASSWORD@database/creds/app)");
      }
      String path = e.substring(at + 1).strip();
      Map<String, String> fields = new LinkedHashMap<>();
      String[] keys = e.substring(0, at).split(",");
      for (int i = 0; i < keys.length; i++) {
        String k = keys[i].strip();
        int eq = k.indexOf('=');
        String key = eq < 0 ? k : k.substring(0, eq).strip();
        String field;
        if (eq >= 0) {
          field = k.substring(eq + 1).strip();
        } else if (i < DEFAULT_FIELDS.length) {
          field = DEFAULT_FIELDS[i];
        } else {
          throw new IllegalArgumentException("'" + e + "': only the first two keys map to username and password "
              + "by position; name the field of '" + key + "' as " + key + "=field");
        }
        if (!Keys.isValid(key) || field.isEmpty()) {
          throw new IllegalArgumentException("'" + e + "': '" + k + "' is not KEY or KEY=field");
        }
        if (fields.put(key, field) != null) {
          throw new IllegalArgumentException("'" + e + "': key " + key + " is named twice");
        }
      }
      sources.add(new Source(path, fields));
    }
    return new VaultDynamicOptions(sources, margin, grace);
  }

  /**
   * The settings {@value #DYNAMIC}, {@value #MARGIN} and {@value #GRACE}.
   *
   * @throws BackendConfigurationException naming the setting that is malformed
   */
  public static VaultDynamicOptions fromConfig(SecretsConfig config) {
    String spec = config.get(DYNAMIC).orElse("");
    if (spec.isBlank()) {
      return NONE;
    }
    Duration margin = config.duration(MARGIN, DEFAULT_MARGIN);
    Duration grace = config.duration(GRACE, DEFAULT_GRACE);
    try {
      return of(spec, margin, grace);
    } catch (IllegalArgumentException e) {
      throw new BackendConfigurationException(VaultBackendProvider.ID, "Invalid setting " + DYNAMIC + " (or "
          + MARGIN + "/" + GRACE + "): " + e.getMessage(), e);
    }
  }

  /** The dynamic sources; empty when none is configured. */
  public List<Source> sources() {
    return sources;
  }

  /** How long before a lease ends its replacement is read: the old credentials' guaranteed overlap. */
  public Duration margin() {
    return margin;
  }

  /** How long after the switch the old lease is revoked (capped by the lease's own end). */
  public Duration grace() {
    return grace;
  }

  @Override
  public String toString() {
    return "VaultDynamicOptions[" + sources + ", margin=" + margin + ", grace=" + grace + "]";
  }
}
