package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.hikari.HikariCredentialRotation;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HikariCP wiring: a pool whose {@code spring.datasource} credentials are secret placeholders is bound to
 * them, and a rotation reaches the pool. The pool is not started (no database needed): binding sets its
 * credentials and a rotation swaps them, which is what a started pool then opens new connections with.
 */
class SecretsHikariAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SecretsAutoConfiguration.class))
      .withUserConfiguration(Pool.class);
  private InMemorySecretBackend store;

  @BeforeEach
  void seed() {
    store = MemoryBackendProvider.fresh();
    store.put("DB_USER", "app-1");
    store.put("DB_PASSWORD", "pw-1");
    store.put("DATABASE_URL", "postgres://url-user:url-pw@db:5432/app");
  }

  @Test
  void aPoolWhoseCredentialsAreSecretPlaceholdersFollowsTheirRotation() {
    runner.withPropertyValues("spring.datasource.username=${DB_USER}", "spring.datasource.password=${DB_PASSWORD}")
        .run(ctx -> {
          HikariDataSource pool = ctx.getBean(HikariDataSource.class);
          assertThat(pool.getUsername()).isEqualTo("app-1");
          assertThat(pool.getPassword()).isEqualTo("pw-1");

          store.put("DB_USER", "app-2");
          store.put("DB_PASSWORD", "pw-2");
          ctx.getBean(SecretResolver.class).admin().refresh().join();

          SecretsSpringBootTest.await(() -> "pw-2".equals(pool.getPassword()));
          assertThat(pool.getUsername()).isEqualTo("app-2");
        });
  }

  @Test
  void aUrlPlaceholderWithCredentialsInsideIsBoundWhenNoUserOrPasswordIsSet() {
    runner.withPropertyValues("spring.datasource.url=${DATABASE_URL}").run(ctx -> {
      HikariDataSource pool = ctx.getBean(HikariDataSource.class);
      assertThat(pool.getUsername()).isEqualTo("url-user");
      assertThat(pool.getJdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
    });
  }

  @Test
  void literalCredentialsAreLeftAlone() {
    runner.withPropertyValues("spring.datasource.username=fixed", "spring.datasource.password=${DB_PASSWORD}")
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(SecretsHikariBinder.class);
          assertThat(ctx.getBean(HikariDataSource.class).getUsername()).isEqualTo("configured");
        });
  }

  @Test
  void isOffWithoutSecretsHikariOrWhenDisabled() {
    runner.withClassLoader(new FilteredClassLoader(HikariCredentialRotation.class))
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsHikariBinder.class));
    runner.withPropertyValues("nexus.secrets.spring.hikari.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(SecretsHikariBinder.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class Pool {
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource() {
      HikariDataSource pool = new HikariDataSource();
      pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
      pool.setUsername("configured");
      pool.setPassword("configured");
      return pool;
    }
  }
}
