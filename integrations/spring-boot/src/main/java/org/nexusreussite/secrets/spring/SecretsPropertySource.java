package org.nexusreussite.secrets.spring;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.SecretResolver;
import org.springframework.core.env.PropertySource;

/**
 * A Spring {@link PropertySource} over a live {@link SecretResolver}: the property {@code DATABASE_URL} is the
 * secret {@code DATABASE_URL}, looked up by its exact name, so {@code ${DATABASE_URL}}, {@code @Value} and
 * {@code @ConfigurationProperties} (through placeholders) read the SDK.
 *
 * <p>Each {@link #getProperty(String)} asks the resolver: a cache hit, one map read. A rotation the resolver
 * has picked up is therefore what the next {@code Environment.getProperty} returns, with no refresh call.
 *
 * <p>Not enumerable, on purpose: listing would print secret names in {@code /actuator/env} and in Spring's
 * debug logs, would ask stores that cannot list, and would make Spring read every value while it maps names.
 * Names that are not valid secret keys, the SDK's own settings and names starting with one of the skipped
 * prefixes ({@link #DEFAULT_SKIPPED_PREFIXES} unless configured) are never looked up, so Spring's hundreds of
 * framework lookups ({@code spring.main.banner-mode}, {@code server.port}, ...) never reach a store.
 *
 * <p>A backend failure is thrown (a {@code BackendException} naming the backend), never turned into
 * "absent": falling through to {@code application.properties} would hand production a developer's value.
 * Thread-safe; {@code toString()} shows the name only.
 */
public final class SecretsPropertySource extends PropertySource<SecretResolver> {

  /** The source's name, as shown in {@code /actuator/env}. */
  public static final String NAME = "nexus-secrets";

  /**
   * Prefixes (compared lower-case) of Spring, framework and JVM properties and of the variables Spring's
   * cloud-platform detection reads, which are never secrets; a secret whose name starts with
   * one of these is not served as a property (read it with the resolver bean instead).
   */
  public static final List<String> DEFAULT_SKIPPED_PREFIXES = List.of(
      "spring.", "server.", "management.", "logging.", "nexus.", "secrets.", "info.",
      "java.", "jdk.", "sun.", "os.", "user.", "file.", "line.", "path.", "native.", "jakarta.", "javax.",
      "org.", "com.", "io.", "net.", "hibernate.", "eureka.", "feign.",
      // the variables Spring's cloud-platform detection asks for at every start
      "vcap_", "kubernetes_service_");

  /**
   * Whole names (compared lower-case) never looked up: Spring's {@code debug} and {@code trace} switches and
   * the single variables its cloud-platform detection reads. Whole names, not prefixes, so that a secret such
   * as {@code TRACE_COLLECTOR_TOKEN} or {@code DEBUG_API_KEY} is still served.
   */
  public static final Set<String> SKIPPED_NAMES = Set.of(
      "debug", "trace", "dyno", "nomad_alloc_id", "website_site_name", "hc_landscape");

  private final List<String> skippedPrefixes;
  private final ServedKeys servedKeys;

  SecretsPropertySource(SecretResolver resolver, List<String> skippedPrefixes, ServedKeys servedKeys) {
    super(NAME, Objects.requireNonNull(resolver, "resolver"));
    this.skippedPrefixes = List.copyOf(skippedPrefixes);
    this.servedKeys = servedKeys;
  }

  /**
   * A source over {@code resolver} skipping {@link #DEFAULT_SKIPPED_PREFIXES}; for applications that build
   * their environment by hand. The caller keeps ownership of the resolver.
   */
  public static SecretsPropertySource of(SecretResolver resolver) {
    return new SecretsPropertySource(resolver, DEFAULT_SKIPPED_PREFIXES, new ServedKeys());
  }

  /**
   * The secret's current value, or null when no backend holds it or the name is never looked up.
   *
   * @throws org.nexusreussite.secrets.BackendException when the backend holding it failed and no cached value
   *     is left
   */
  @Override
  public @Nullable Object getProperty(String name) {
    if (!looksUp(name)) {
      return null;
    }
    String value = getSource().find(name).orElse(null);
    if (value != null) {
      servedKeys.add(name);
    }
    return value;
  }

  /** Whether {@code name} is looked up in the stores at all. */
  boolean looksUp(@Nullable String name) {
    if (name == null || !Keys.isValid(name) || name.startsWith("SECRETS_")) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (SKIPPED_NAMES.contains(lower)) {
      return false;
    }
    for (String prefix : skippedPrefixes) {
      if (lower.startsWith(prefix)) {
        return false;
      }
    }
    return true;
  }

  /** The keys this source has served, for masking and the stale-entry gauge. */
  ServedKeys servedKeys() {
    return servedKeys;
  }

  @Override
  public String toString() {
    return "SecretsPropertySource[" + NAME + "]";
  }
}
