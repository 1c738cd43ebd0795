package org.nexusreussite.secrets.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * The SDK's settings as a Spring application gives them: {@code nexus.secrets.<name>} is the SDK setting
 * {@code secrets.<name>} ({@code SECRETS_<NAME>}), e.g. {@code nexus.secrets.required},
 * {@code nexus.secrets.cache.refresh}, {@code nexus.secrets.profile}; the stores' own settings may be written as
 * Spring properties too ({@code vault.addr}, {@code vault.path}, {@code aws.region}, ...); and the usual system
 * properties, environment and {@code secrets.properties} apply beneath them. {@code nexus.secrets.spring.*} are
 * the starter's own settings and are not passed to the SDK.
 */
final class SpringSettings {
  /** Spring prefix of the SDK's settings. */
  static final String PREFIX = "nexus.secrets";
  /** The starter's own settings. */
  static final String SKIPPED_PREFIXES = "nexus.secrets.spring.skipped-prefixes";
  /** How long rotations are gathered before one refresh of the context. */
  static final String REFRESH_DEBOUNCE = "nexus.secrets.spring.refresh-debounce";
  /** The default of {@link #REFRESH_DEBOUNCE}. */
  static final Duration DEFAULT_REFRESH_DEBOUNCE = Duration.ofSeconds(1);

  private static final List<String> STORE_PREFIXES = List.of("vault", "aws", "azure");

  private SpringSettings() {}

  /** The SDK settings: Spring's {@code nexus.secrets.*} and store properties first, then the process's. */
  static SecretsConfig sdkSettings(Binder binder) {
    SecretsConfig config = SecretsConfig.fromEnvironment();
    for (Map.Entry<String, String> e : springEntries(binder).entrySet()) {
      config = config.with(e.getKey(), e.getValue());
    }
    return config;
  }

  /** The SDK settings Spring's properties give, by SDK name ({@code secrets.cache.refresh}, {@code vault.path}). */
  static Map<String, String> springEntries(Binder binder) {
    Map<String, String> entries = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : bindMap(binder, PREFIX).entrySet()) {
      if (!e.getKey().startsWith("spring.") && !e.getValue().isBlank()) {
        entries.put("secrets." + e.getKey(), e.getValue());
      }
    }
    for (String store : STORE_PREFIXES) {
      for (Map.Entry<String, String> e : bindMap(binder, store).entrySet()) {
        if (!e.getValue().isBlank()) {
          entries.put(store + "." + e.getKey(), e.getValue());
        }
      }
    }
    return entries;
  }

  /**
   * Fails when the settings in the final environment differ from those {@code nexus-secrets:} was resolved with:
   * Spring resolves the import before it reads profile-specific files ({@code application-<profile>.properties}),
   * so settings there would be silently ignored. Names the properties, never their values.
   */
  static void requireUnchanged(Map<String, String> resolvedWith, Binder finalEnvironment) {
    Map<String, String> now = springEntries(finalEnvironment);
    java.util.Set<String> differing = new java.util.TreeSet<>();
    for (String name : now.keySet()) {
      if (!now.get(name).equals(resolvedWith.get(name))) {
        differing.add(name);
      }
    }
    for (String name : resolvedWith.keySet()) {
      if (!now.containsKey(name)) {
        differing.add(name);
      }
    }
    if (!differing.isEmpty()) {
      List<String> shown = new java.util.ArrayList<>();
      for (String name : differing) {
        shown.add(name.startsWith("secrets.") ? PREFIX + name.substring("secrets".length()) : name);
      }
      throw new BackendConfigurationException("spring", "The secrets settings " + String.join(", ", shown)
          + " are set (or changed) after spring.config.import=nexus-secrets: was resolved, e.g. in a profile-specific"
          + " file such as application-<profile>.properties, which Spring reads later; the resolver would run"
          + " without them. Set them in application.properties, the environment or system properties", null);
    }
  }

  private static Map<String, String> bindMap(Binder binder, String prefix) {
    try {
      return binder.bind(prefix, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    } catch (RuntimeException e) {
      // the binder's message quotes the property's value; name the prefix only
      throw new BackendConfigurationException("spring",
          "The properties under '" + prefix + "' could not be read as settings (" + e.getClass().getSimpleName()
              + "); each must be a single text value, e.g. " + PREFIX + ".required=DATABASE_URL,API_KEY", null);
    }
  }

  /**
   * The SDK profile to set from Spring's active profiles, or null to keep the SDK's own: when
   * {@code SECRETS_PROFILE} / {@code APP_ENV} is not set, the first active profile that is strict
   * ({@code production}, {@code prod}, {@code staging} or {@code SECRETS_STRICT_PROFILES}), else the first
   * active profile.
   */
  static @Nullable String sdkProfile(SecretsConfig settings, List<String> activeProfiles) {
    if (settings.firstOf("SECRETS_PROFILE", "APP_ENV").isPresent() || activeProfiles.isEmpty()) {
      return null;
    }
    List<String> strictList = settings.list("SECRETS_STRICT_PROFILES");
    Set<String> strict = new HashSet<>();
    for (String s : strictList.isEmpty() ? Profile.DEFAULT_STRICT : strictList) {
      strict.add(s.toLowerCase(Locale.ROOT));
    }
    for (String p : activeProfiles) {
      if (strict.contains(p.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    return activeProfiles.get(0);
  }

  /** The property source's skipped prefixes: the setting's list, or the defaults. */
  static List<String> skippedPrefixes(Binder binder) {
    return binder.bind(SKIPPED_PREFIXES, Bindable.listOf(String.class))
        .map(list -> {
          List<String> out = new ArrayList<>();
          for (String s : list) {
            if (!s.isBlank()) {
              out.add(s.strip().toLowerCase(Locale.ROOT));
            }
          }
          return (List<String>) out;
        })
        .orElse(SecretsPropertySource.DEFAULT_SKIPPED_PREFIXES);
  }
}
