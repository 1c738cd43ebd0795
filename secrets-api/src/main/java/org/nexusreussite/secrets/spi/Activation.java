package org.nexusreussite.secrets.spi;

import java.util.Objects;

/**
 * Whether a provider takes part, and why: {@code active("VAULT_ADDR=https://vault:8200")} or
 * {@code inactive("VAULT_ADDR is not set")}. The reason is shown by {@code describe()} and the CLI's
 * {@code doctor}, so it must be something a person can act on, and must not contain a secret.
 *
 * @param active whether the backend should be created
 * @param reason why, in a few words
 */
public record Activation(boolean active, String reason) {
  /** Validates the reason. */
  public Activation {
    Objects.requireNonNull(reason, "reason");
  }

  /** Active, with what activated it. */
  public static Activation active(String reason) {
    return new Activation(true, reason);
  }

  /** Inactive, with what would activate it. */
  public static Activation inactive(String reason) {
    return new Activation(false, reason);
  }
}
