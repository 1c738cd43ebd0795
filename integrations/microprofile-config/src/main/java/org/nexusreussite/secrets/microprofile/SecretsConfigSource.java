package org.nexusreussite.secrets.microprofile;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.SecretResolver;

/**
 * A MicroProfile {@link ConfigSource} whose values come from a {@link SecretResolver}: the property
 * {@code DATABASE_URL} is the secret {@code DATABASE_URL}, looked up by its exact name.
 *
 * <p>Every {@link #getValue(String)} asks the resolver (a cache hit, one map read), so a rotation the
 * resolver has picked up is what the next {@code Config.getValue} returns. Values a runtime injected
 * once ({@code @ConfigProperty} fields of an application-scoped bean) stay as injected.
 *
 * <p>{@link #getPropertyNames()} is empty: listing would print secret names in the runtime's config
 * dumps, ask stores that cannot list ({@code env}, {@code dotenv} can; Vault policies often forbid it),
 * and make SmallRye read every value while it maps names. Properties are served by exact name only.
 *
 * <p>Names the SDK never looks up, so that a runtime's hundreds of framework lookups do not each reach
 * a store: names that are not valid secret keys, the SDK's own settings ({@code secrets.*},
 * {@code SECRETS_*}), and names starting with one of the skipped prefixes
 * ({@link #DEFAULT_SKIPPED_PREFIXES} unless configured).
 *
 * <p>A backend failure is thrown from {@code getValue} (as a {@code BackendException} naming the
 * backend), never turned into "absent": falling through to {@code application.properties} would hand
 * production a developer's value. Thread-safe; neither {@code toString()} nor any exception carries a
 * value.
 */
public final class SecretsConfigSource implements ConfigSource {

  /**
   * The default ordinal, 270: under the environment (300) and Quarkus's {@code .env} (295), so an
   * operator can still override one property without touching the store, and above
   * {@code application.properties} (250) and {@code META-INF/microprofile-config.properties} (100), so
   * a committed placeholder value never shadows the secret. quarkus-vault uses the same place.
   */
  public static final int DEFAULT_ORDINAL = 270;

  /** The source's name, as shown in config dumps and SmallRye messages. */
  public static final String NAME = "NexusSecretsConfigSource";

  /**
   * Prefixes of framework and JVM properties that are never secrets: Quarkus, SmallRye, MicroProfile,
   * Helidon, Jakarta and JDK system properties.
   */
  public static final List<String> DEFAULT_SKIPPED_PREFIXES = List.of(
      "quarkus.", "smallrye.", "mp.", "microprofile.", "helidon.", "server.", "jakarta.", "javax.",
      "java.", "jdk.", "sun.", "os.", "user.", "file.", "line.", "path.", "native.", "io.", "org.",
      "com.", "net.");

  private final SecretResolver resolver;
  private final int ordinal;
  private final List<String> skippedPrefixes;

  private SecretsConfigSource(SecretResolver resolver, int ordinal, List<String> skippedPrefixes) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.ordinal = ordinal;
    this.skippedPrefixes = List.copyOf(skippedPrefixes);
  }

  /**
   * A source over {@code resolver} at {@link #DEFAULT_ORDINAL}, skipping {@link #DEFAULT_SKIPPED_PREFIXES};
   * for runtimes and tests that build their config by hand ({@code SmallRyeConfigBuilder.withSources}).
   * The caller keeps ownership of the resolver and closes it.
   */
  public static SecretsConfigSource of(SecretResolver resolver) {
    return of(resolver, DEFAULT_ORDINAL, DEFAULT_SKIPPED_PREFIXES);
  }

  /**
   * A source over {@code resolver} at {@code ordinal}, never looking up names starting with one of
   * {@code skippedPrefixes}.
   */
  public static SecretsConfigSource of(SecretResolver resolver, int ordinal, List<String> skippedPrefixes) {
    return new SecretsConfigSource(resolver, ordinal, skippedPrefixes);
  }

  /** The resolver this source reads. */
  public SecretResolver resolver() {
    return resolver;
  }

  /**
   * Always empty: secret names are not listed (see the class comment). Code that needs the keys a store
   * holds asks {@code resolver().inspect()}.
   */
  @Override
  public Set<String> getPropertyNames() {
    return Set.of();
  }

  /**
   * Always empty, for the reasons {@link #getPropertyNames()} is.
   */
  @Override
  public Map<String, String> getProperties() {
    return Map.of();
  }

  /**
   * The secret's current value, or null when no backend holds it or the name is one this source never
   * looks up.
   *
   * @throws org.nexusreussite.secrets.BackendException when the backend holding it failed and no cached
   *     value is left
   */
  @Override
  public @Nullable String getValue(String propertyName) {
    if (!looksUp(propertyName)) {
      return null;
    }
    return resolver.find(propertyName).orElse(null);
  }

  /** Whether {@code propertyName} is looked up in the stores at all. */
  boolean looksUp(@Nullable String propertyName) {
    if (propertyName == null || !Keys.isValid(propertyName) || isSdkSetting(propertyName)) {
      return false;
    }
    for (String prefix : skippedPrefixes) {
      if (propertyName.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  static boolean isSdkSetting(String name) {
    return name.toLowerCase(Locale.ROOT).startsWith("secrets.") || name.startsWith("SECRETS_");
  }

  @Override
  public int getOrdinal() {
    return ordinal;
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String toString() {
    return NAME + "[ordinal=" + ordinal + "]";
  }
}
