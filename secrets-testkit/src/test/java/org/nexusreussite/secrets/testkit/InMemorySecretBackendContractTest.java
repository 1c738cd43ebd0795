package org.nexusreussite.secrets.testkit;

import org.nexusreussite.secrets.spi.SecretBackend;

class InMemorySecretBackendContractTest extends SecretBackendContractTest {

  private final InMemorySecretBackend store = new InMemorySecretBackend("memory");

  @Override
  protected SecretBackend createBackend() {
    return store;
  }

  @Override
  protected void store(String key, String value) {
    store.put(key, value);
  }
}
