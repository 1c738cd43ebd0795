package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * The built-in env backend, found through ServiceLoader like any other. The environment is a snapshot
 * taken when the backend is created, so {@link #store} rebuilds it over the updated variables.
 */
class EnvBackendContractTest extends SecretBackendContractTest {

  private final Map<String, String> environment = new HashMap<>();

  @Override
  protected SecretBackend createBackend() {
    SecretBackendProvider env = ServiceLoader.load(SecretBackendProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.id().equals("env")).findFirst().orElseThrow();
    assertThat(env.defaultOrdinal()).isEqualTo(400);
    TestBackendContext context = TestBackendContext.of("env",
        org.nexusreussite.secrets.SecretsConfig.of(java.util.Map.of(), environment));
    assertThat(env.activation(context).active()).isTrue();
    return env.create(context);
  }

  @Override
  protected void store(String key, String value) throws Exception {
    environment.put(key, value);
    backend.close();
    backend = createBackend();
  }

  @Test
  void listsVariablesAndHasNoHistory() {
    assertThat(backend.capabilities()).containsExactly(Capability.LISTING);
  }
}
