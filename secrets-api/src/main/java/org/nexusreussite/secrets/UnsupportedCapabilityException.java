package org.nexusreussite.secrets;

import org.nexusreussite.secrets.spi.Capability;

/** The backend cannot do what was asked (versions of an env var, rollback of a file). */
public class UnsupportedCapabilityException extends BackendException {
  private static final long serialVersionUID = 1L;
  private final Capability capability;

  private UnsupportedCapabilityException(String backendId, Capability capability, String detail) {
    super(backendId, "Backend '" + backendId + "' does not support " + capability.describe() + detail, null);
    this.capability = capability;
  }

  /** The exception for {@code backendId} lacking {@code capability}. */
  public static UnsupportedCapabilityException of(String backendId, Capability capability) {
    return new UnsupportedCapabilityException(backendId, capability, "");
  }

  /** The same, with a hint such as "use Vault KV v2 for history". */
  public static UnsupportedCapabilityException of(String backendId, Capability capability, String hint) {
    return new UnsupportedCapabilityException(backendId, capability, " (" + hint + ")");
  }

  /** The capability that is missing. */
  public Capability capability() {
    return capability;
  }
}
