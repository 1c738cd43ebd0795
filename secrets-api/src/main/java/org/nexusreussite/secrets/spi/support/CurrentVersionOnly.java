package org.nexusreussite.secrets.spi.support;

import java.util.Objects;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;

/**
 * The version rule of a store that keeps only the current value (environment, {@code .env} files, mounted
 * files, Kubernetes Secret objects, Vault KV v1): {@code latest()} and the current version's own id are
 * served; anything else is a question the store cannot answer. Thread-safe (stateless).
 */
public final class CurrentVersionOnly {
  private CurrentVersionOnly() {}

  /** Whether {@code selector} asks for {@code current}: {@code latest()}, or {@code id(current.id())}. */
  public static boolean matches(VersionSelector selector, SecretVersion current) {
    Objects.requireNonNull(current, "current");
    return selector instanceof VersionSelector.Latest
        || selector instanceof VersionSelector.ById byId && byId.versionId().equals(current.id());
  }

  /**
   * {@code current} when {@code selector} asks for it.
   *
   * @param why what the store keeps and where to go for history, for the message
   * @throws UnsupportedCapabilityException naming the backend and {@link Capability#VERSIONS} otherwise
   */
  public static Secret select(String backendId, Secret current, VersionSelector selector, String why) {
    if (matches(selector, current.version())) {
      return current;
    }
    throw UnsupportedCapabilityException.of(backendId, Capability.VERSIONS, why);
  }
}
