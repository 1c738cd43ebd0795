package org.nexusreussite.secrets.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** A test stands in for a discovered store (here the built-in env backend) by giving a backend in code. */
class ExplicitBackendReplacesDiscoveredTest {

  @Test
  void aBackendGivenInCodeReplacesTheDiscoveredProviderAndTheReplacementIsLoggedAtInfo() {
    List<LogRecord> logged = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger jul = Logger.getLogger("org.nexusreussite.secrets");
    jul.addHandler(handler);
    InMemorySecretBackend fake = new InMemorySecretBackend("env");
    fake.put("API_KEY", "from the test");
    try (SecretResolver resolver = SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("API_KEY", "from the environment")))
        .discover()
        .backend(fake, 400)
        .build()) {

      assertThat(resolver.resolve("API_KEY")).isEqualTo("from the test");
    } finally {
      jul.removeHandler(handler);
    }
    assertThat(logged).anySatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.INFO);
      assertThat(java.text.MessageFormat.format(r.getMessage(), r.getParameters()))
          .contains("'env' given in code replaces the provider found in");
    });
  }
}
