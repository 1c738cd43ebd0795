package org.nexusreussite.secrets.microprofile;

import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * A discoverable in-memory store for these tests, so the factory is exercised exactly as a runtime loads
 * it: through the ServiceLoader, with backends discovered on the class path. Each test installs a fresh
 * store in {@link #store}.
 */
public final class MemoryBackendProvider implements SecretBackendProvider {
  static volatile InMemorySecretBackend store = new InMemorySecretBackend("memory");

  @Override
  public String id() {
    return "memory";
  }

  @Override
  public int defaultOrdinal() {
    return 300;
  }

  @Override
  public Activation activation(BackendContext context) {
    return Activation.active("test store");
  }

  @Override
  public SecretBackend create(BackendContext context) {
    return store;
  }
}
