package org.nexusreussite.secrets.cli;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendChangeListener;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * A test-only provider (registered in this module's test resources) that serves a testkit
 * {@link InMemorySecretBackend} registered under the name given by the setting {@code SECRETS_TEST_STORE},
 * so the real CLI entry point discovers it like any backend jar. Inactive without the setting.
 */
public final class MemoryStoreProvider implements SecretBackendProvider {
  /** The backend id. */
  public static final String ID = "memory";
  /** Between the cloud stores (300) and dotenv (100). */
  public static final int ORDINAL = 200;

  private static final Map<String, InMemorySecretBackend> STORES = new ConcurrentHashMap<>();

  /** Makes {@code store} available to runs with {@code SECRETS_TEST_STORE=name}. */
  public static void register(String name, InMemorySecretBackend store) {
    STORES.put(name, store);
  }

  /** Forgets a store. */
  public static void unregister(String name) {
    STORES.remove(name);
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    return context.config().get("SECRETS_TEST_STORE")
        .map(name -> STORES.containsKey(name)
            ? Activation.active("SECRETS_TEST_STORE=" + name)
            : Activation.inactive("SECRETS_TEST_STORE names no registered store"))
        .orElse(Activation.inactive("SECRETS_TEST_STORE is not set"));
  }

  @Override
  public SecretBackend create(BackendContext context) {
    return new Shared(STORES.get(context.config().get("SECRETS_TEST_STORE").orElseThrow()));
  }

  /** The registered store, left open when a resolver closes it: the test and later runs still use it. */
  private record Shared(InMemorySecretBackend store) implements SecretBackend {
    @Override
    public String id() {
      return store.id();
    }

    @Override
    public Set<Capability> capabilities() {
      return store.capabilities();
    }

    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      return store.fetch(key, version);
    }

    @Override
    public Map<String, Secret> fetchAll(Collection<String> keys) {
      return store.fetchAll(keys);
    }

    @Override
    public List<SecretVersion> versions(String key) {
      return store.versions(key);
    }

    @Override
    public Set<String> keys() {
      return store.keys();
    }

    @Override
    public SecretVersion rollback(String key, SecretVersion toVersion) {
      return store.rollback(key, toVersion);
    }

    @Override
    public SecretVersion write(String key, SecretValue value, WriteOptions options) {
      return store.write(key, value, options);
    }

    @Override
    public void watch(BackendChangeListener listener) {
      store.watch(listener);
    }

    @Override
    public BackendHealth health() {
      return store.health();
    }

    @Override
    public void close() {
      // the store outlives the resolver
    }
  }
}
