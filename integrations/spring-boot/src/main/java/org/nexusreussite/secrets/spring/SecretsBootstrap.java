package org.nexusreussite.secrets.spring;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;

/**
 * What the config-data loader built during start-up, handed from the bootstrap context to the application
 * context: the resolver, whether the starter owns it (and so closes it at shutdown), the metrics recorder
 * and the property source's served keys. Registered as a singleton bean named {@link #BEAN_NAME}.
 */
public final class SecretsBootstrap {
  /** The bean name of the promoted instance. */
  public static final String BEAN_NAME = "nexusSecretsBootstrap";

  private final SecretResolver resolver;
  private final boolean owned;
  private final SecretsMetricsRecorder recorder;
  private final ServedKeys servedKeys;
  private @Nullable Map<String, String> resolvedWith;
  private @Nullable AutoCloseable redaction;
  private @Nullable SecretsConfigDataResource builtFor;

  SecretsBootstrap(SecretResolver resolver, boolean owned, SecretsMetricsRecorder recorder, ServedKeys servedKeys) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.owned = owned;
    this.recorder = recorder;
    this.servedKeys = servedKeys;
  }

  /** The resolver the property source reads. */
  public SecretResolver resolver() {
    return resolver;
  }

  /** Whether the starter built the resolver, and so closes it with the application context. */
  boolean owned() {
    return owned;
  }

  SecretsMetricsRecorder recorder() {
    return recorder;
  }

  ServedKeys servedKeys() {
    return servedKeys;
  }

  /** The Spring-given settings the import was resolved with; null when the resolver came from elsewhere. */
  @Nullable Map<String, String> resolvedWith() {
    return resolvedWith;
  }

  SecretsBootstrap resolvedWith(Map<String, String> settings) {
    this.resolvedWith = settings;
    return this;
  }

  /** The import the resolver was built for; null when the application registered its own resolver. */
  @Nullable SecretsConfigDataResource builtFor() {
    return builtFor;
  }

  SecretsBootstrap builtFor(@Nullable SecretsConfigDataResource resource) {
    this.builtFor = resource;
    return this;
  }

  /** What uninstalls the log redaction following this resolver; null without secrets-logging. */
  @Nullable AutoCloseable redaction() {
    return redaction;
  }

  SecretsBootstrap redaction(@Nullable AutoCloseable installed) {
    this.redaction = installed;
    return this;
  }

  @Override
  public String toString() {
    return "SecretsBootstrap[owned=" + owned + "]";
  }
}
