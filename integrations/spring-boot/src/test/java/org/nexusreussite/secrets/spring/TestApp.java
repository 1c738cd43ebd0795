package org.nexusreussite.secrets.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** A small application reading secrets through placeholders, {@code @Value} and {@code @ConfigurationProperties}. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(TestApp.JwtProperties.class)
public class TestApp {

  /** Bound from {@code app.jwt.*}, whose values are placeholders for secrets. */
  @ConfigurationProperties("app.jwt")
  public static class JwtProperties {
    private String key = "";

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }

  /** Injects a secret once with {@code @Value}. */
  public static class ValueHolder {
    final String databaseUrl;

    ValueHolder(String databaseUrl) {
      this.databaseUrl = databaseUrl;
    }
  }

  /** Records what the application saw. */
  public static class Events {
    final List<SecretRotatedEvent> rotations = new CopyOnWriteArrayList<>();
    final List<EnvironmentChangeEvent> changes = new CopyOnWriteArrayList<>();

    @EventListener
    void on(SecretRotatedEvent e) {
      rotations.add(e);
    }

    @EventListener
    void on(EnvironmentChangeEvent e) {
      changes.add(e);
    }
  }

  @Bean
  ValueHolder valueHolder(@Value("${DATABASE_URL}") String databaseUrl) {
    return new ValueHolder(databaseUrl);
  }

  @Bean
  Events events() {
    return new Events();
  }

  /** A client built from a secret once; in the refresh scope, so a rotation makes Spring Cloud rebuild it. */
  public static class TokenClient {
    private final String token;

    TokenClient(String token) {
      this.token = token;
    }

    public String token() {
      return token;
    }
  }

  @Bean
  @org.springframework.cloud.context.config.annotation.RefreshScope
  TokenClient tokenClient(@Value("${SERVICE_TOKEN:none}") String token) {
    return new TokenClient(token);
  }
}
