package org.nexusreussite.secrets.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The example's entry point. {@code application.properties} imports {@code nexus-secrets:} and refers to
 * secrets with {@code ${...}}; nothing in the code names a store.
 */
@SpringBootApplication
@EnableConfigurationProperties(AppSettings.class)
public class SpringExampleApp {
  /** Runs the application. */
  public static void main(String[] args) {
    SpringApplication.run(SpringExampleApp.class, args);
  }
}
