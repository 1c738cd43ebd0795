package org.nexusreussite.secrets.vault;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.spi.support.Addresses;

/**
 * The Vault / OpenBao backend: id {@value #ID}, ordinal {@value #ORDINAL}, active when {@code VAULT_ADDR}
 * is set. Settings are listed on {@link VaultOptions}. In a strict profile an {@code http://} address
 * and {@code VAULT_SKIP_VERIFY} are refused. Thread-safe.
 */
public final class VaultBackendProvider implements SecretBackendProvider {
  /** The backend id. */
  public static final String ID = "vault";
  /** Default precedence, shared by the remote stores. */
  public static final int ORDINAL = 300;

  private final Supplier<Path> homeDir;

  /** For ServiceLoader: {@code ~/.vault-token} is looked for in {@code user.home}. */
  public VaultBackendProvider() {
    this(() -> {
      String home = System.getProperty("user.home");
      return home == null || home.isBlank() ? null : Path.of(home);
    });
  }

  /** With another home folder for {@code .vault-token} (tests, sandboxes). */
  public VaultBackendProvider(Supplier<Path> homeDir) {
    this.homeDir = Objects.requireNonNull(homeDir, "homeDir");
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
    return context.config().get(VaultOptions.ADDR)
        .map(addr -> Activation.active(VaultOptions.ADDR + "=" + Addresses.redact(addr)))
        .orElseGet(() -> Activation.inactive(VaultOptions.ADDR + " is not set"));
  }

  /**
   * Reads the settings and builds the backend; Vault is first contacted on the first read.
   *
   * @throws BackendConfigurationException for a missing or malformed setting, an {@code http://} address
   *     or {@code VAULT_SKIP_VERIFY} in a strict profile
   */
  @Override
  public SecretBackend create(BackendContext context) {
    VaultOptions options = VaultOptions.fromConfig(context.config(), homeDir.get());
    context.requireHttpsInStrictProfile(VaultOptions.ADDR, options.address(), "Vault");
    if (options.skipVerify() && context.profile().strict()) {
      throw new BackendConfigurationException(ID, VaultOptions.SKIP_VERIFY + " is set in profile '"
          + context.profile().name() + "', where TLS verification cannot be turned off. Remove it and trust "
          + "Vault's CA with " + VaultOptions.CACERT + " instead");
    }
    if (options.skipVerify()) {
      context.logger().log(System.Logger.Level.WARNING, VaultOptions.SKIP_VERIFY + " is set: Vault''s TLS "
          + "certificate is not verified (allowed in profile ''{0}'' only)", context.profile().name());
    }
    return VaultSecretBackend.create(options, VaultDynamicOptions.fromConfig(context.config()), context);
  }

  @Override
  public String toString() {
    return "VaultBackendProvider[" + ID + "@" + ORDINAL + "]";
  }
}
