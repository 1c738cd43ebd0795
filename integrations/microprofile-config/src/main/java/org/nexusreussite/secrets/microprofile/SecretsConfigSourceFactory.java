package org.nexusreussite.secrets.microprofile;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretResolverBuilder;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * The SmallRye {@link ConfigSourceFactory} registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}: with this jar (and backend jars) on
 * the class path, Quarkus, Helidon MP and plain SmallRye read {@code ${DATABASE_URL}} and
 * {@code @ConfigProperty(name = "DATABASE_URL")} through the SDK.
 *
 * <p>It builds one {@link SecretResolver} per config it is asked for, with the backends discovered on the
 * class path, and settings read first from the config sources loaded before it (so
 * {@code application.properties} can hold {@code secrets.required=...} or
 * {@code %prod.secrets.cache.refresh=1m}, as quarkus-vault reads its own settings), then from system
 * properties, environment and {@code secrets.properties} as usual. Settings taken from the config are
 * those spelled {@code secrets.*}, {@code vault.*}, {@code aws.*}, {@code azure.*} (or their variable
 * forms).
 *
 * <p>Settings of the source itself:
 * <ul>
 *   <li>{@code secrets.config.enabled} (default {@code true}): {@code false} adds no source;</li>
 *   <li>{@code secrets.config.ordinal} (default {@value SecretsConfigSource#DEFAULT_ORDINAL});</li>
 *   <li>{@code secrets.config.skipped-prefixes} (default
 *       {@link SecretsConfigSource#DEFAULT_SKIPPED_PREFIXES}): names never looked up; an empty value
 *       skips none.</li>
 * </ul>
 *
 * <p>Profiles: when neither {@code SECRETS_PROFILE} nor {@code APP_ENV} is set, the SDK profile is the
 * config's active profile (the first of {@code ConfigSourceContext.getProfiles()}), so Quarkus's
 * {@code prod} profile makes the SDK strict: required secrets that do not resolve fail the config's
 * build with the SDK's {@code MissingSecretsException} report.
 */
public final class SecretsConfigSourceFactory implements ConfigSourceFactory {

  /** Setting: whether the source is added. */
  public static final String ENABLED = "secrets.config.enabled";
  /** Setting: the source's ordinal. */
  public static final String ORDINAL = "secrets.config.ordinal";
  /** Setting: comma list of name prefixes never looked up. */
  public static final String SKIPPED_PREFIXES = "secrets.config.skipped-prefixes";

  private static final List<String> SETTING_PREFIXES = List.of("SECRETS_", "VAULT_", "AWS_", "AZURE_");

  /** Public no-argument constructor, for the ServiceLoader. */
  public SecretsConfigSourceFactory() {}

  /**
   * The SDK's config source, or none when {@code secrets.config.enabled=false}.
   *
   * @throws org.nexusreussite.secrets.MissingSecretsException in a strict profile when required secrets
   *     do not resolve
   * @throws BackendConfigurationException when a setting is wrong, naming it
   */
  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    SecretsConfig settings = settings(context);
    if (!settings.bool(ENABLED, true)) {
      return List.of();
    }
    int ordinal = settings.integer(ORDINAL, SecretsConfigSource.DEFAULT_ORDINAL);
    List<String> skipped = settings.isSet(SKIPPED_PREFIXES) || explicitlyEmpty(context)
        ? settings.list(SKIPPED_PREFIXES) : SecretsConfigSource.DEFAULT_SKIPPED_PREFIXES;
    SecretResolverBuilder builder = SecretResolver.builder().config(settings).discover();
    if (settings.firstOf("SECRETS_PROFILE", "APP_ENV").isEmpty()) {
      List<String> profiles = context.getProfiles();
      if (!profiles.isEmpty()) {
        builder.profile(profiles.get(0));
      }
    }
    SecretResolver resolver = builder.build();
    SecretsConfigSource source = SecretsConfigSource.of(resolver, ordinal, skipped);
    AutoCloseable redaction = MicroProfileLogRedaction.installIfPresent(resolver, settings);
    RELEASE.register(source, new Release(resolver, redaction));
    return List.of(source);
  }

  /**
   * Closes a resolver once the config that held its source is gone: MicroProfile gives a source no close hook,
   * and a resolver left open keeps refreshing (and renewing Vault leases) for a config nobody reads. Quarkus's
   * dev-mode reloads and tests build many configs. Holds the resolver, never the source.
   */
  private static final Cleaner RELEASE = Cleaner.create(new ThreadFactory() {
    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "nexus-secrets-config-release");
      t.setDaemon(true);
      return t;
    }
  });

  private record Release(SecretResolver resolver, @Nullable AutoCloseable redaction) implements Runnable {
    @Override
    public void run() {
      try {
        if (redaction != null) {
          redaction.close();
        }
      } catch (Exception e) {
        // closing a redactor does no I/O; nothing to report beyond the resolver's own close
      } finally {
        resolver.close();
      }
    }
  }

  /** The SDK's settings: those found in the config sources loaded before this one, then the usual ones. */
  static SecretsConfig settings(ConfigSourceContext context) {
    SecretsConfig settings = SecretsConfig.fromEnvironment();
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = context.iterateNames(); it.hasNext(); ) {
      String name = unprofiled(it.next());
      if (isSetting(name) && !names.contains(name)) {
        names.add(name);
      }
    }
    for (String name : names) {
      // getValue applies the config's own rules: ordinals, the active profile, ${...} expressions
      ConfigValue value = context.getValue(name);
      String text = value == null ? null : value.getValue();
      if (text != null && !text.isBlank()) {
        settings = settings.with(name, text);
      }
    }
    return settings;
  }

  private static boolean explicitlyEmpty(ConfigSourceContext context) {
    ConfigValue value = context.getValue(SKIPPED_PREFIXES);
    return value != null && value.getRawValue() != null && value.getRawValue().isBlank();
  }

  /** {@code %prod.secrets.required} -> {@code secrets.required}. */
  private static String unprofiled(String name) {
    if (name.startsWith("%")) {
      int dot = name.indexOf('.');
      return dot < 0 ? name : name.substring(dot + 1);
    }
    return name;
  }

  private static boolean isSetting(@Nullable String name) {
    if (name == null) {
      return false;
    }
    String variable = SecretsConfig.toVariableName(name).toUpperCase(Locale.ROOT);
    for (String prefix : SETTING_PREFIXES) {
      if (variable.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Default priority: factories run in priority order; this one needs nothing from other factories. */
  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(SecretsConfigSource.DEFAULT_ORDINAL);
  }
}
