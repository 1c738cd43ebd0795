package org.nexusreussite.secrets.resolver;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;

/**
 * One Vault-like path: every key is a field, a write replaces all fields and moves the path's version,
 * and one request reads every field ({@code fetchAll} returns the siblings too). Counts requests.
 */
final class PathBackend implements SecretBackend {
  private final String id;
  private final Clock clock;
  private Map<String, String> fields = new HashMap<>();
  private int version;
  final AtomicInteger requests = new AtomicInteger();

  PathBackend(String id, Clock clock) {
    this.id = id;
    this.clock = clock;
  }

  /** Writes a new version of the whole path. */
  synchronized void write(Map<String, String> newFields) {
    fields = new HashMap<>(newFields);
    version++;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of();
  }

  @Override
  public VersionScope versionScope() {
    return VersionScope.SOURCE;
  }

  @Override
  public synchronized Optional<Secret> fetch(String key, VersionSelector selector) {
    requests.incrementAndGet();
    String v = fields.get(key);
    return v == null ? Optional.empty() : Optional.of(secret(key, v));
  }

  @Override
  public synchronized Map<String, Secret> fetchAll(Collection<String> keys) {
    requests.incrementAndGet();
    Map<String, Secret> out = new LinkedHashMap<>();
    fields.forEach((k, v) -> out.put(k, secret(k, v))); // the whole path, siblings included
    return out;
  }

  private Secret secret(String key, String value) {
    return Secret.of(key, SecretValue.of(value), SecretVersion.of(Integer.toString(version)), id, clock.instant());
  }
}
