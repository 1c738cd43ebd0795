package org.nexusreussite.secrets.internal;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.support.CurrentVersionOnly;

/**
 * Environment variables: the key is the variable's name. No history; the version is a per-process content
 * id ({@link SecretVersion#ofContent}), never a value hash. The environment is a snapshot taken when the resolver is built (a JVM cannot see changes).
 */
final class EnvSecretBackend implements SecretBackend {
  static final String ID = "env";
  private final Map<String, String> environment;
  private final Clock clock;

  EnvSecretBackend(Map<String, String> environment, Clock clock) {
    this.environment = Map.copyOf(environment);
    this.clock = clock;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.LISTING);
  }

  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    String raw = environment.get(key);
    if (raw == null) {
      return Optional.empty();
    }
    SecretValue value = SecretValue.of(raw);
    SecretVersion current = SecretVersion.ofContent(value);
    return Optional.of(CurrentVersionOnly.select(ID, Secret.of(key, value, current, ID, clock.instant()), version,
        "environment variables have no history"));
  }

  @Override
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (String name : environment.keySet()) {
      if (Keys.isValid(name)) {
        keys.add(name);
      }
    }
    return keys;
  }

  @Override
  public String toString() {
    return "EnvSecretBackend[" + environment.size() + " variables]";
  }
}
