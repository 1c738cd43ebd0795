package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;

/** What actuator endpoints show of a property, without a Spring context. */
class SecretsSanitizingFunctionTest {
  private final InMemorySecretBackend store = new InMemorySecretBackend("memory");
  private final MapPropertySource elsewhere = new MapPropertySource("application", Map.of());

  @Test
  void aValueHoldingTheCurrentOrAnEarlierServedSecretIsMasked() {
    try (SecretResolver resolver = SecretResolver.builder().backend(store, 300).build()) {
      SecretsPropertySource source = new SecretsPropertySource(resolver, SecretsPropertySource.DEFAULT_SKIPPED_PREFIXES,
          new ServedKeys());
      try (SecretsSanitizingFunction sanitizer = new SecretsSanitizingFunction(resolver, source.servedKeys())) {
        store.put("DB_PASSWORD", "first-password-value");
        assertThat(source.getProperty("DB_PASSWORD")).isEqualTo("first-password-value");
        assertThat(shown(sanitizer, "app.db.password", "first-password-value")).isEqualTo("******");
        assertThat(shown(sanitizer, "app.name", "orders")).as("no secret in it").isEqualTo("orders");

        store.put("DB_PASSWORD", "second-password-value");
        resolver.admin().refresh("DB_PASSWORD");
        // the in-memory store watches: its refresh may run on a resolver thread, listeners just after the swap
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (source.servedKeys().retiredValues().isEmpty() && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(shown(sanitizer, "app.db.password", "second-password-value")).isEqualTo("******");
        assertThat(shown(sanitizer, "app.db.password", "jdbc:x?password=first-password-value"))
            .as("a bean not rebound since the rotation still holds the earlier value").isEqualTo("******");
      }
    }
  }

  @Test
  void onlyServedKeysEarlierValuesAreRememberedTheFirstAndTheLastTwo() {
    ServedKeys served = new ServedKeys();
    served.retire("NEVER_SERVED", "some-earlier-value");
    assertThat(served.retiredValues()).isEmpty();
    served.add("KEY");
    served.retire("KEY", "v1-value");
    served.retire("KEY", "v2-value");
    served.retire("KEY", "v3-value");
    served.retire("KEY", "v4-value");
    assertThat(served.retiredValues())
        .as("the last two, and the first (what a bean bound at start-up and never rebound still holds)")
        .containsExactly("v4-value", "v3-value", "v1-value");
  }

  private Object shown(SecretsSanitizingFunction sanitizer, String key, String value) {
    SanitizableData data = new SanitizableData(elsewhere, key, value);
    SanitizableData result = sanitizer.apply(data);
    return result.getValue();
  }
}
