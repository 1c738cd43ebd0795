package org.nexusreussite.secrets.spring;

import java.util.ArrayList;
import java.util.List;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.SecretsConfig;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Resolves {@code spring.config.import=nexus-secrets:} (or {@code optional:nexus-secrets:}), registered in
 * {@code META-INF/spring.factories} as spring-cloud-vault and Spring Cloud AWS register theirs.
 *
 * <p>Resolution waits for the profiles ({@link #resolveProfileSpecific}), so that an active Spring profile
 * {@code production}, {@code prod} or {@code staging} makes the SDK strict when {@code SECRETS_PROFILE} is not
 * set. Settings are read from the Spring environment as {@link SpringSettings} describes.
 *
 * <p>Options follow the prefix, {@code ;}-separated: {@code required=KEY_A+KEY_B} adds required keys
 * ({@code +}-separated, since {@code ,} separates imports). Anything else fails start-up naming the option.
 */
public final class SecretsConfigDataLocationResolver
    implements ConfigDataLocationResolver<SecretsConfigDataResource> {

  /** The location prefix. */
  public static final String PREFIX = "nexus-secrets:";

  /** Public no-argument constructor, for {@code spring.factories}. */
  public SecretsConfigDataLocationResolver() {}

  @Override
  public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
    return location.hasPrefix(PREFIX);
  }

  /** Nothing before the profiles are known; see {@link #resolveProfileSpecific}. */
  @Override
  public List<SecretsConfigDataResource> resolve(ConfigDataLocationResolverContext context,
      ConfigDataLocation location) {
    return List.of();
  }

  /**
   * The one resource of this location.
   *
   * @throws BackendConfigurationException for an unknown option or a bad key, naming it
   */
  @Override
  public List<SecretsConfigDataResource> resolveProfileSpecific(ConfigDataLocationResolverContext context,
      ConfigDataLocation location, Profiles profiles) {
    List<String> required = options(location.getNonPrefixedValue(PREFIX));
    Binder binder = context.getBinder();
    SecretsConfig settings = SpringSettings.sdkSettings(binder);
    String profile = SpringSettings.sdkProfile(settings, profiles.getActive());
    return List.of(new SecretsConfigDataResource(location.isOptional(), settings, profile, required,
        SpringSettings.skippedPrefixes(binder), SpringSettings.springEntries(binder)));
  }

  /** The required keys named by the options; fails on anything else. */
  static List<String> options(String text) {
    List<String> required = new ArrayList<>();
    for (String option : text.split(";")) {
      String o = option.strip();
      if (o.isEmpty()) {
        continue;
      }
      int eq = o.indexOf('=');
      String name = eq < 0 ? o : o.substring(0, eq).strip();
      if (!name.equals("required") || eq < 0) {
        // an option's name is not a secret; its value is not echoed
        throw new BackendConfigurationException("spring", "Unknown option '" + clip(name) + "' in spring.config.import="
            + PREFIX + "...; the only option is required=KEY_A+KEY_B (or set " + SpringSettings.PREFIX
            + ".required=KEY_A,KEY_B)", null);
      }
      for (String key : o.substring(eq + 1).split("\\+")) {
        String k = key.strip();
        if (k.isEmpty()) {
          continue;
        }
        if (!Keys.isValid(k)) {
          throw new BackendConfigurationException("spring", "spring.config.import=" + PREFIX
              + "required=...: a required key is not a valid key name (letters, digits, '_', '.', '-', not "
              + "starting with a digit)", null);
        }
        required.add(k);
      }
    }
    return required;
  }

  private static String clip(String name) {
    return name.length() > 40 ? name.substring(0, 40) + "..." : name;
  }
}
