package org.nexusreussite.secrets.spi;

/**
 * Creates a backend. Found with {@link java.util.ServiceLoader}: register implementations in
 * {@code META-INF/services/org.nexusreussite.secrets.spi.SecretBackendProvider} and with
 * {@code provides ... with ...} in {@code module-info.java}. Implementations need a public no-arg
 * constructor and must be cheap to construct: work belongs in {@link #create(BackendContext)}.
 */
public interface SecretBackendProvider {

  /** The backend's id: {@code env}, {@code dotenv}, {@code vault}, ... Unique across the class path. */
  String id();

  /**
   * Precedence when several backends hold a key; higher wins. Overridable with
   * {@code SECRETS_<ID>_ORDINAL}.
   */
  int defaultOrdinal();

  /** Whether the backend takes part in this environment, and why. Must not throw for missing settings. */
  Activation activation(BackendContext context);

  /**
   * Builds the backend. Called only when {@link #activation(BackendContext)} was active.
   *
   * @throws org.nexusreussite.secrets.BackendConfigurationException when a setting is wrong
   */
  SecretBackend create(BackendContext context);
}
