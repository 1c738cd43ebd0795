package org.nexusreussite.secrets.testkit;

import java.time.Clock;
import java.util.Set;
import org.nexusreussite.secrets.spi.SecretBackend;

/** The contract's capability checks hold for a backend that declares none. */
class ReadOnlyInMemoryContractTest extends SecretBackendContractTest {

  private final InMemorySecretBackend store = new InMemorySecretBackend("plain", Set.of(), Clock.systemUTC());

  @Override
  protected SecretBackend createBackend() {
    return store;
  }

  @Override
  protected void store(String key, String value) {
    store.put(key, value);
  }
}
