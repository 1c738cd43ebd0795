package org.nexusreussite.secrets.hikari;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** HikariCP 7's credentials providers (absent from 6.x, so not in the 6.x run). */
class CredentialsProviderTest {
  @Test
  void aPoolWithACredentialsProviderIsRefused() {
    InMemorySecretBackend store = new InMemorySecretBackend("memory");
    store.put("DB_USER", "app");
    store.put("DB_PASSWORD", "pw");
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.empty()).backend(store, 300)
        .build(); HikariDataSource ds = new HikariDataSource()) {
      ds.setPoolName("test-pool");
      ds.setCredentialsProvider(() -> Credentials.of("x", "y"));

      assertThatThrownBy(() -> HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'test-pool'")
          .hasMessageContaining("HikariCredentialsProvider");
    }
  }
}
