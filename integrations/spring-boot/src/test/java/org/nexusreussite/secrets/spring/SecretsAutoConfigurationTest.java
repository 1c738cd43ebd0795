package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of {@link SecretsAutoConfiguration}, without a {@code nexus-secrets:} import. */
class SecretsAutoConfigurationTest {
  /** Where the health contract lives in Boot 4.0 and in Boot 3.5: hiding both works on either line. */
  static final String[] HEALTH_PACKAGES = {"org.springframework.boot.health", "org.springframework.boot.actuate.health"};

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class, SecretsHealthAutoConfiguration.class));

  @BeforeEach
  void store() {
    MemoryBackendProvider.fresh().put("API_KEY", "k-1");
  }

  @Test
  void buildsAResolverFromTheEnvironmentWhenNothingImportedOne() {
    runner.run(ctx -> {
      assertThat(ctx).hasSingleBean(SecretResolver.class).hasSingleBean(SecretsBootstrap.class);
      assertThat(ctx.getBean(SecretResolver.class).resolve("API_KEY")).isEqualTo("k-1");
    });
  }

  @Test
  void closesTheResolverWithTheContext() {
    SecretResolver[] seen = new SecretResolver[1];
    runner.run(ctx -> seen[0] = ctx.getBean(SecretResolver.class));
    assertThat(MemoryBackendProvider.store.closed()).isTrue();
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnResolver() {
    runner.withUserConfiguration(OwnResolver.class).run(ctx -> {
      assertThat(ctx).hasSingleBean(SecretResolver.class).doesNotHaveBean(SecretsBootstrap.class);
      assertThat(ctx.getBean(SecretResolver.class).resolve("OWN")).isEqualTo("mine");
      assertThat(ctx).hasSingleBean(SecretsHealthIndicator.class);
    });
  }

  @Test
  void isOffWhenDisabled() {
    runner.withPropertyValues("nexus.secrets.spring.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretResolver.class));
  }

  @Test
  void takesSettingsFromSpringProperties() {
    runner.withPropertyValues("nexus.secrets.required=API_KEY", "nexus.secrets.cache.refresh=2m").run(ctx -> {
      SecretResolver r = ctx.getBean(SecretResolver.class);
      assertThat(r.inspect().describe().required()).containsExactly("API_KEY");
      assertThat(r.inspect().describe().refreshInterval()).hasMinutes(2);
    });
  }

  @Test
  void aStrictSpringProfileMakesTheSdkStrict() {
    runner.withPropertyValues("spring.profiles.active=prod", "nexus.secrets.required=API_KEY")
        .run(ctx -> assertThat(ctx.getBean(SecretResolver.class).inspect().describe().profile().strict()).isTrue());
  }

  @Test
  void healthIndicatorIsThereUnlessDisabledOrTheHealthModuleIsMissing() {
    runner.run(ctx -> assertThat(ctx).hasSingleBean(SecretsHealthIndicator.class));
    runner.withPropertyValues("management.health.secrets.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsHealthIndicator.class));
    runner.withClassLoader(new FilteredClassLoader(HEALTH_PACKAGES))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsHealthIndicator.class));
  }

  @Test
  void meterBinderIsThereOnlyWithMicrometer() {
    runner.run(ctx -> assertThat(ctx).hasBean("nexusSecretsMeterBinder"));
    runner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean("nexusSecretsMeterBinder"));
  }

  @Test
  void endpointFollowsSpringsEndpointAccessAndExposure() {
    runner.withPropertyValues("management.endpoints.access.default=NONE")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsEndpoint.class));
    runner.withPropertyValues("management.endpoints.web.exposure.include=secrets")
        .run(ctx -> assertThat(ctx).hasSingleBean(SecretsEndpoint.class));
    runner.withPropertyValues("management.endpoints.web.exposure.include=secrets",
        "management.endpoint.secrets.access=NONE")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsEndpoint.class));
  }

  @Test
  void maskingIsThereOnlyWithTheActuator() {
    runner.run(ctx -> assertThat(ctx).hasBean("nexusSecretsSanitizingFunction"));
    runner.withClassLoader(new FilteredClassLoader(SanitizingFunction.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean("nexusSecretsSanitizingFunction"));
  }

  @Test
  void refreshBridgeIsThereOnlyWithSpringCloudContextAndUnlessDisabled() {
    runner.run(ctx -> assertThat(ctx).hasSingleBean(SecretsContextRefresher.class));
    runner.withPropertyValues("nexus.secrets.spring.refresh.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsContextRefresher.class));
    runner.withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsContextRefresher.class));
  }

  @Test
  void rotationEventsArePublishedByTheResolverBean() {
    runner.run(ctx -> assertThat(ctx).hasSingleBean(SecretsRotationPublisher.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnResolver {
    @Bean
    SecretResolver ownResolver() {
      InMemorySecretBackend own = new InMemorySecretBackend("own");
      own.put("OWN", "mine");
      return SecretResolver.builder().backend(own, 500).build();
    }
  }
}
