package org.nexusreussite.secrets.spring;

import java.util.List;
import java.util.Objects;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretResolverBuilder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Loads {@code nexus-secrets:}: builds the {@link SecretResolver} (or takes the one an application registered
 * in the bootstrap registry, as Spring Cloud AWS lets tests register clients), and returns one
 * {@link SecretsPropertySource} over it. The resolver is kept in the bootstrap context and promoted to the
 * application context when that is ready, as the {@link SecretsBootstrap} bean.
 *
 * <p>In a strict profile, required secrets that do not resolve stop start-up here with the SDK's
 * {@code MissingSecretsException} report, which {@link SecretsFailureAnalyzer} prints.
 */
public final class SecretsConfigDataLoader implements ConfigDataLoader<SecretsConfigDataResource> {

  /** Public no-argument constructor, for {@code spring.factories}. */
  public SecretsConfigDataLoader() {}

  // The bootstrap types moved between Boot 3.5 (org.springframework.boot) and 4.0
  // (org.springframework.boot.bootstrap): they are used here through `var` and lambdas only, never named, so
  // this source compiles against both lines.
  @Override
  public ConfigData load(ConfigDataLoaderContext context, SecretsConfigDataResource resource) {
    var bootstrap = context.getBootstrapContext();
    bootstrap.registerIfAbsent(SecretsBootstrap.class, ctx -> {
      SecretsBootstrap created = create(ctx.isRegistered(SecretResolver.class)
          ? () -> Objects.requireNonNull(ctx.get(SecretResolver.class), "registered SecretResolver") : null, resource);
      bootstrap.addCloseListener(event -> {
        ConfigurableApplicationContext app = event.getApplicationContext();
        if (!app.getBeanFactory().containsSingleton(SecretsBootstrap.BEAN_NAME)) {
          app.getBeanFactory().registerSingleton(SecretsBootstrap.BEAN_NAME, created);
          // closed with the context even when the SecretResolver bean is never created (the application
          // defines its own, or start-up fails first); close() is idempotent
          if (app.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
            AutoCloseable redaction = created.redaction();
            if (redaction != null) {
              registry.registerDisposableBean(SecretsBootstrap.BEAN_NAME + ".redaction", redaction::close);
            }
            if (created.owned()) {
              registry.registerDisposableBean(SecretsBootstrap.BEAN_NAME + ".close", () -> created.resolver().close());
            }
          }
        }
      });
      return created;
    });
    SecretsBootstrap secrets = Objects.requireNonNull(bootstrap.get(SecretsBootstrap.class), "bootstrap");
    if (secrets.builtFor() != null && !secrets.builtFor().equals(resource)) {
      // one resolver serves every import: a second import's required keys (or profile) would be ignored
      throw BackendConfigurationException.setting("spring.config.import", "it names nexus-secrets: twice with "
          + "different options (required " + secrets.builtFor().required() + " and " + resource.required()
          + "), but one resolver serves both; use one import, e.g. nexus-secrets:required=A+B");
    }
    return new ConfigData(List.of(
        new SecretsPropertySource(secrets.resolver(), resource.skippedPrefixes(), secrets.servedKeys())));
  }

  private static SecretsBootstrap create(@Nullable Supplier<SecretResolver> registered,
      SecretsConfigDataResource resource) {
    SecretsMetricsRecorder recorder = new SecretsMetricsRecorder();
    SecretResolver resolver;
    boolean owned;
    if (registered != null) {
      resolver = registered.get();
      owned = false;
    } else {
      SecretResolverBuilder builder = SecretResolver.builder().config(resource.settings()).discover()
          .listener(recorder);
      if (resource.profile() != null) {
        builder.profile(resource.profile());
      }
      if (!resource.required().isEmpty()) {
        builder.require(resource.required().toArray(String[]::new));
      }
      resolver = builder.build();
      owned = true;
    }
    resolver.onRotation(rotation -> recorder.rotated());
    SecretsBootstrap bootstrap = new SecretsBootstrap(resolver, owned, recorder, new ServedKeys())
        .redaction(SpringLogRedaction.installIfPresent(resolver, resource.settings()))
        .builtFor(owned ? resource : null);
    return owned ? bootstrap.resolvedWith(resource.springEntries()) : bootstrap;
  }
}
