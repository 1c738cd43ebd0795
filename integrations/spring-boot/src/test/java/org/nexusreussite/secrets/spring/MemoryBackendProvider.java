package org.nexusreussite.secrets.spring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * A discoverable in-memory store, so the starter is exercised exactly as an application loads it: through
 * the ServiceLoader, with backends discovered on the class path. Each test installs a fresh store; setting
 * {@code MEMORY_OFF=true} deactivates it.
 */
public final class MemoryBackendProvider implements SecretBackendProvider {
  static volatile InMemorySecretBackend store = new InMemorySecretBackend("memory");
  /** Stores chosen with the setting {@code SECRETS_MEMORY_STORE} ({@code nexus.secrets.memory.store}). */
  private static final Map<String, InMemorySecretBackend> NAMED = new ConcurrentHashMap<>();

  /** The store a resolver with {@code nexus.secrets.memory.store=name} reads, whatever other tests install. */
  static InMemorySecretBackend named(String name) {
    return NAMED.computeIfAbsent(name, n -> new InMemorySecretBackend("memory"));
  }

  /** A fresh store, installed for the next resolver built. */
  static InMemorySecretBackend fresh() {
    store = new InMemorySecretBackend("memory");
    return store;
  }

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
    return context.config().get("SECRETS_MEMORY_STORE").map(MemoryBackendProvider::named).orElse(store);
  }
}
