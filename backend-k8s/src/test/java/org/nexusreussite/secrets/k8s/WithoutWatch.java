package org.nexusreussite.secrets.k8s;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;

/**
 * A backend as it is, minus WATCH, for resolver tests about something else (writes) that build and close a
 * resolver within milliseconds: against the mock API server, fabric8 can keep a watch stopped moments after its
 * start open, and the server's shutdown then times out (CI, twice, once with the client closed first). Watching
 * is tested where watches live long enough (K8sSecretBackendIT, K8sSecretBackendFailuresIT). Also used by the
 * fault matrix, whose faults are about reads.
 */
final class WithoutWatch implements SecretBackend {
  private final SecretBackend backend;

  WithoutWatch(SecretBackend backend) {
    this.backend = backend;
  }

  @Override
  public String id() {
    return backend.id();
  }

  @Override
  public Set<Capability> capabilities() {
    Set<Capability> all = EnumSet.noneOf(Capability.class);
    all.addAll(backend.capabilities());
    all.remove(Capability.WATCH);
    return all;
  }

  @Override
  public String describe() {
    return backend.describe();
  }

  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    return backend.fetch(key, version);
  }

  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    return backend.fetchAll(keys);
  }

  @Override
  public VersionScope versionScope() {
    return backend.versionScope();
  }

  @Override
  public List<SecretVersion> versions(String key) {
    return backend.versions(key);
  }

  @Override
  public Set<String> keys() {
    return backend.keys();
  }

  @Override
  public SecretVersion write(String key, SecretValue value, WriteOptions options) {
    return backend.write(key, value, options);
  }

  @Override
  public Optional<BackendHealth> reportedState() {
    return backend.reportedState();
  }

  @Override
  public BackendHealth health() {
    return backend.health();
  }

  @Override
  public void close() {
    backend.close();
  }
}
