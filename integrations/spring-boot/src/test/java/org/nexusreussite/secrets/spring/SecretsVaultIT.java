package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An application against a real OpenBao: {@code spring.datasource.*} placeholders served from Vault KV v2, a
 * {@code kv put} rotates the password, the resolver's scheduled refresh picks it up, the event fires and the
 * {@code @ConfigurationProperties} bean sees the new value. The Vault settings are Spring properties.
 */
class SecretsVaultIT {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @EnableConfigurationProperties(VaultApp.DataSourceSettings.class)
  static class VaultApp {
    /** What a connection pool would be built from. */
    @ConfigurationProperties("spring.datasource")
    static class DataSourceSettings {
      private String url = "";
      private String username = "";
      private String password = "";

      public String getUrl() {
        return url;
      }

      public void setUrl(String url) {
        this.url = url;
      }

      public String getUsername() {
        return username;
      }

      public void setUsername(String username) {
        this.username = username;
      }

      public String getPassword() {
        return password;
      }

      public void setPassword(String password) {
        this.password = password;
      }
    }
  }

  @Test
  void aKvPutReachesTheBoundBean() {
    OpenBaoServer bao = OpenBaoServer.shared();
    String rel = "spring-" + UUID.randomUUID();
    put(bao, rel, "pw-one");
    List<SecretRotatedEvent> events = new CopyOnWriteArrayList<>();

    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(VaultApp.class)
        .web(WebApplicationType.NONE)
        .listeners((ApplicationListener<SecretRotatedEvent>) events::add)
        .properties("spring.config.import=nexus-secrets:",
            "spring.datasource.url=${DATABASE_URL}", "spring.datasource.username=${DB_USER}",
            "spring.datasource.password=${DB_PASSWORD}",
            "nexus.secrets.backends=vault", "nexus.secrets.required=DATABASE_URL,DB_USER,DB_PASSWORD",
            "nexus.secrets.cache.refresh=1s", "nexus.secrets.spring.refresh-debounce=100ms",
            "vault.addr=" + bao.address(), "vault.token=" + bao.rootToken(), "vault.path=secret/" + rel)
        .run()) {
      VaultApp.DataSourceSettings ds = ctx.getBean(VaultApp.DataSourceSettings.class);
      assertThat(ds.getUrl()).isEqualTo("jdbc:postgresql://db/app");
      assertThat(ds.getUsername()).isEqualTo("app");
      assertThat(ds.getPassword()).isEqualTo("pw-one");
      SecretResolver resolver = ctx.getBean(SecretResolver.class);
      assertThat(resolver.inspect().explain("DB_PASSWORD").backend()).contains("vault");

      put(bao, rel, "pw-two");

      await(() -> "pw-two".equals(ctx.getEnvironment().getProperty("spring.datasource.password")));
      await(() -> events.stream().anyMatch(e -> e.key().equals("DB_PASSWORD")));
      await(() -> "pw-two".equals(ds.getPassword()));
      assertThat(events.stream().filter(e -> e.key().equals("DB_PASSWORD")).findFirst().orElseThrow().toString())
          .contains("vault").doesNotContain("pw-");
    }
  }

  private static void put(OpenBaoServer bao, String rel, String password) {
    bao.api("POST", "/v1/secret/data/" + rel, "{\"data\":{\"DATABASE_URL\":\"jdbc:postgresql://db/app\","
        + "\"DB_USER\":\"app\",\"DB_PASSWORD\":\"" + password + "\"}}");
  }

  private static void await(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within 15 s");
      }
      SecretsSpringBootTest.sleep(50);
    }
  }
}
