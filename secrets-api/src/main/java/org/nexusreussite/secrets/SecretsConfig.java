package org.nexusreussite.secrets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.internal.Durations;

/**
 * Settings, read from Java system properties, then environment variables, then an optional
 * {@code secrets.properties} on the class path; the first source that has a setting wins.
 *
 * <p>A setting has two spellings that mean the same (MicroProfile Config's rule): the property
 * {@code secrets.vault.path} and the variable {@code SECRETS_VAULT_PATH}. Ask with either. A blank value
 * counts as unset. Immutable and thread-safe.
 *
 * <p>Errors name the setting and what was expected, never the value, since settings such as
 * {@code VAULT_TOKEN} are credentials themselves.
 */
public final class SecretsConfig {
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;
  private final Map<String, String> properties;
  /** Settings given in code: read like environment variables, but never served as {@code env} secrets. */
  private final Map<String, String> settings;

  private SecretsConfig(Map<String, String> systemProperties, Map<String, String> environment,
      Map<String, String> properties, Map<String, String> settings) {
    this.systemProperties = Map.copyOf(systemProperties);
    this.environment = Map.copyOf(environment);
    this.properties = Map.copyOf(properties);
    this.settings = Map.copyOf(settings);
  }

  /** The process's system properties, environment and class-path {@code secrets.properties}. */
  public static SecretsConfig fromEnvironment() {
    Map<String, String> sys = new HashMap<>();
    Properties props = System.getProperties();
    for (String name : props.stringPropertyNames()) {
      sys.put(name, props.getProperty(name));
    }
    return new SecretsConfig(sys, System.getenv(), classPathProperties(), Map.of());
  }

  /**
   * Only the given settings, read with the precedence of environment variables. They are settings, not
   * secrets: the {@code env} backend does not serve them (see {@link #of(Map, Map)} to simulate an
   * environment). For tests and embedding.
   */
  public static SecretsConfig of(Map<String, String> settings) {
    return new SecretsConfig(Map.of(), Map.of(), Map.of(), settings);
  }

  /**
   * Settings plus a simulated process environment: the environment's variables are settings too (as a
   * real environment's are) and are what the {@code env} backend serves; {@code settings} win over them
   * and are not served. For tests and embedding.
   */
  public static SecretsConfig of(Map<String, String> settings, Map<String, String> environment) {
    return new SecretsConfig(Map.of(), environment, Map.of(), settings);
  }

  /** An empty configuration: every setting at its default. */
  public static SecretsConfig empty() {
    return of(Map.of());
  }

  /** A copy where {@code name} is set to {@code value}, ahead of every source. */
  public SecretsConfig with(String name, String value) {
    Map<String, String> sys = new HashMap<>(systemProperties);
    sys.put(toPropertyName(name), value);
    sys.remove(toVariableName(name));
    return new SecretsConfig(sys, environment, properties, settings);
  }

  private static Map<String, String> classPathProperties() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = SecretsConfig.class.getClassLoader();
    }
    try (InputStream in = loader == null ? null : loader.getResourceAsStream("secrets.properties")) {
      if (in == null) {
        return Map.of();
      }
      Properties props = new Properties();
      props.load(in);
      Map<String, String> map = new HashMap<>();
      for (String name : props.stringPropertyNames()) {
        map.put(name, props.getProperty(name));
      }
      return map;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read secrets.properties from the class path", e);
    }
  }

  /** {@code secrets.vault.path} or {@code SECRETS_VAULT_PATH} -> {@code SECRETS_VAULT_PATH}. */
  public static String toVariableName(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
    }
    return sb.toString();
  }

  /** {@code SECRETS_VAULT_PATH} or {@code secrets.vault.path} -> {@code secrets.vault.path}. */
  public static String toPropertyName(String name) {
    return toVariableName(name).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The setting's value, if set and not blank. */
  public Optional<String> get(String name) {
    String variable = toVariableName(name);
    String property = toPropertyName(name);
    for (Map<String, String> source : List.of(systemProperties, settings, environment, properties)) {
      String value = nonBlank(source.get(name));
      if (value == null) {
        value = nonBlank(source.get(variable));
      }
      if (value == null) {
        value = nonBlank(source.get(property));
      }
      if (value != null) {
        return Optional.of(value.strip());
      }
    }
    return Optional.empty();
  }

  private static @Nullable String nonBlank(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The setting's value, or {@code defaultValue}. */
  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /** The first of several settings that is set (e.g. {@code AZURE_KEYVAULT_URL}, then an alias). */
  public Optional<String> firstOf(String... names) {
    for (String name : names) {
      Optional<String> value = get(name);
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  /** True when the setting is set. */
  public boolean isSet(String name) {
    return get(name).isPresent();
  }

  /**
   * A duration: {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, {@code 250ms} or ISO-8601 {@code PT30S}.
   *
   * @throws BackendConfigurationException naming the setting when it does not parse or is negative
   */
  public Duration duration(String name, Duration defaultValue) {
    Optional<String> text = get(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return Durations.parse(text.get())
        .orElseThrow(() -> BackendConfigurationException.setting(toVariableName(name),
            "expected a duration such as 30s, 5m, 1h or PT30S"));
  }

  /**
   * An integer.
   *
   * @throws BackendConfigurationException naming the setting when it is not an integer
   */
  public int integer(String name, int defaultValue) {
    Optional<String> text = get(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(text.get());
    } catch (NumberFormatException e) {
      throw BackendConfigurationException.setting(toVariableName(name), "expected an integer");
    }
  }

  /**
   * A boolean: {@code true/false}, {@code yes/no}, {@code 1/0}, {@code on/off}.
   *
   * @throws BackendConfigurationException naming the setting otherwise
   */
  public boolean bool(String name, boolean defaultValue) {
    Optional<String> text = get(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    switch (text.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on":
        return true;
      case "false", "no", "0", "off":
        return false;
      default:
        throw BackendConfigurationException.setting(toVariableName(name), "expected true or false");
    }
  }

  /** A comma-separated list, entries trimmed, empty entries dropped; empty when unset. */
  public List<String> list(String name) {
    Optional<String> text = get(name);
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : text.get().split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The environment variables this configuration was built from, which the env backend serves; empty
   * for {@link #of(Map)}, whose settings are not secrets.
   */
  public Map<String, String> environment() {
    return environment;
  }

  /** Names only, never values. */
  @Override
  public String toString() {
    return "SecretsConfig[" + (systemProperties.size() + settings.size() + environment.size() + properties.size()) + " entries]";
  }
}
