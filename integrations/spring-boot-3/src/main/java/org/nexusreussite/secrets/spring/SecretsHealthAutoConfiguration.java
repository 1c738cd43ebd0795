package org.nexusreussite.secrets.spring;

import org.nexusreussite.secrets.SecretResolver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code secrets} health entry, with the actuator's health module (Boot 3.5), unless
 * {@code management.health.secrets.enabled=false}.
 */
@AutoConfiguration(after = SecretsAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "nexus.secrets.spring.enabled", matchIfMissing = true)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
public class SecretsHealthAutoConfiguration {

  /** Created by Spring. */
  public SecretsHealthAutoConfiguration() {}

  /** The indicator, named so that the entry is {@code secrets}. */
  @Bean
  @ConditionalOnEnabledHealthIndicator("secrets") // on the method: its condition class is in the health module
  @ConditionalOnBean(SecretResolver.class)
  @ConditionalOnMissingBean(name = "secretsHealthIndicator")
  SecretsHealthIndicator secretsHealthIndicator(SecretResolver resolver) {
    return new SecretsHealthIndicator(resolver);
  }
}
