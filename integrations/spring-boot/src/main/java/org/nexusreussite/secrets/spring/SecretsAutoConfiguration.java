package org.nexusreussite.secrets.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretResolverBuilder;
import org.nexusreussite.secrets.SecretsConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the SDK in a Spring Boot application (listed in
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}); off with
 * {@code nexus.secrets.spring.enabled=false}. Each part is conditional as Spring's own are:
 * <ul>
 *   <li>the {@link SecretResolver} bean: the one {@code spring.config.import=nexus-secrets:} built (so
 *       properties and the bean read one cache), else one built from the environment; none when the
 *       application defines its own. Closed with the context;</li>
 *   <li>{@link SecretRotatedEvent}s published on every rotation;</li>
 *   <li>with Micrometer: {@link SecretsMeterBinder}'s meters;</li>
 *   <li>with the actuator: the read-only {@code secrets} endpoint and the masking of served values in
 *       {@code /actuator/env} and {@code /actuator/configprops};</li>
 *   <li>with HikariCP and {@code secrets-hikari}: the pool's credentials swapped on rotation when
 *       {@code spring.datasource.username}/{@code password} (or {@code url}) are secret placeholders
 *       ({@code nexus.secrets.spring.hikari.enabled});</li>
 *   <li>with spring-cloud-context: a debounced rebind of {@code @ConfigurationProperties} and refresh of
 *       {@code @RefreshScope} beans after rotations ({@code nexus.secrets.spring.refresh.enabled}).</li>
 * </ul>
 * The {@code secrets} health entry is {@link SecretsHealthAutoConfiguration}'s.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "nexus.secrets.spring.enabled", matchIfMissing = true)
public class SecretsAutoConfiguration {

  /** Created by Spring. */
  public SecretsAutoConfiguration() {}

  /**
   * The resolver and its companions when no {@code nexus-secrets:} import built them: from the Spring
   * environment's settings and active profiles.
   */
  @Bean(name = SecretsBootstrap.BEAN_NAME)
  @ConditionalOnMissingBean({SecretsBootstrap.class, SecretResolver.class})
  SecretsBootstrap nexusSecretsBootstrap(Environment environment) {
    Binder binder = Binder.get(environment);
    SecretsConfig settings = SpringSettings.sdkSettings(binder);
    SecretsMetricsRecorder recorder = new SecretsMetricsRecorder();
    SecretResolverBuilder builder = SecretResolver.builder().config(settings).discover().listener(recorder);
    String profile = SpringSettings.sdkProfile(settings, List.of(environment.getActiveProfiles()));
    if (profile != null) {
      builder.profile(profile);
    }
    SecretResolver resolver = builder.build();
    resolver.onRotation(rotation -> recorder.rotated());
    return new SecretsBootstrap(resolver, true, recorder, new ServedKeys());
  }

  /** The resolver; closed with the context (its inferred {@code close()}). */
  @Bean
  @ConditionalOnMissingBean
  SecretResolver secretResolver(SecretsBootstrap bootstrap, Environment environment) {
    java.util.Map<String, String> resolvedWith = bootstrap.resolvedWith();
    if (resolvedWith != null) {
      // settings from files Spring reads after the import (application-<profile>.properties) fail loudly
      SpringSettings.requireUnchanged(resolvedWith,
          org.springframework.boot.context.properties.bind.Binder.get(environment));
    }
    return bootstrap.resolver();
  }

  /** Publishes {@link SecretRotatedEvent}s. */
  @Bean
  SecretsRotationPublisher nexusSecretsRotationPublisher(SecretResolver resolver, ApplicationContext context) {
    return new SecretsRotationPublisher(resolver, context);
  }

  /** Micrometer meters. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "nexusSecretsMeterBinder")
    MeterBinder nexusSecretsMeterBinder(SecretResolver resolver, ObjectProvider<SecretsBootstrap> bootstrap) {
      SecretsBootstrap b = bootstrap.getIfAvailable();
      // a resolver the application built itself reports no lookups to us; its other meters still work
      return b != null && b.resolver() == resolver
          ? new SecretsMeterBinder(resolver, b.recorder(), b.servedKeys())
          : new SecretsMeterBinder(resolver, new SecretsMetricsRecorder(), new ServedKeys());
    }
  }

  /** The actuator endpoint and masking. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
  static class ActuatorConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = SecretsEndpoint.class)
    SecretsEndpoint secretsEndpoint(SecretResolver resolver) {
      return new SecretsEndpoint(resolver);
    }

    @Bean
    SanitizingFunction nexusSecretsSanitizingFunction(SecretResolver resolver,
        ObjectProvider<SecretsBootstrap> bootstrap) {
      SecretsBootstrap b = bootstrap.getIfAvailable();
      return new SecretsSanitizingFunction(resolver, b != null ? b.servedKeys() : new ServedKeys());
    }
  }

  /** HikariCP credential swap, with secrets-hikari and HikariCP on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"com.zaxxer.hikari.HikariDataSource",
      "org.nexusreussite.secrets.hikari.HikariCredentialRotation"})
  @ConditionalOnBooleanProperty(name = "nexus.secrets.spring.hikari.enabled", matchIfMissing = true)
  static class HikariConfiguration {
    @Bean
    @ConditionalOnMissingBean
    SecretsHikariBinder nexusSecretsHikariBinder(SecretResolver resolver,
        ObjectProvider<com.zaxxer.hikari.HikariDataSource> dataSources,
        org.springframework.core.env.ConfigurableEnvironment environment) {
      return new SecretsHikariBinder(resolver, dataSources, environment);
    }
  }

  /** The Spring Cloud refresh bridge. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
  @ConditionalOnBooleanProperty(name = "nexus.secrets.spring.refresh.enabled", matchIfMissing = true)
  static class RefreshConfiguration {
    @Bean
    @ConditionalOnMissingBean
    SecretsContextRefresher nexusSecretsContextRefresher(ApplicationContext context,
        ObjectProvider<RefreshScope> refreshScope, Environment environment) {
      Duration debounce = Binder.get(environment).bind(SpringSettings.REFRESH_DEBOUNCE, Duration.class)
          .orElse(SpringSettings.DEFAULT_REFRESH_DEBOUNCE);
      return new SecretsContextRefresher(context, context, refreshScope, debounce);
    }
  }

}
