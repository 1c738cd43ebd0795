package org.nexusreussite.secrets.internal;

import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/** The built-in environment-variable backend: id {@code env}, ordinal {@value #ORDINAL}, always active. */
public final class EnvBackendProvider implements SecretBackendProvider {
  /** Default precedence: above every store, so an operator can override any secret with a variable. */
  public static final int ORDINAL = 400;

  /** For ServiceLoader. */
  public EnvBackendProvider() {}

  @Override
  public String id() {
    return EnvSecretBackend.ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    return Activation.active("environment variables are always read");
  }

  @Override
  public SecretBackend create(BackendContext context) {
    return new EnvSecretBackend(context.config().environment(), context.clock());
  }
}
