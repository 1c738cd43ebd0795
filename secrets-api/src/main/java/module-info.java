/**
 * The Nexus Secrets SDK: {@code Secrets.resolve("DATABASE_URL")} over pluggable backends.
 *
 * <p>{@code org.nexusreussite.secrets} is the user API; {@code org.nexusreussite.secrets.spi} is for backend
 * authors, with helpers in {@code org.nexusreussite.secrets.spi.support}. {@code org.nexusreussite.secrets.internal}
 * is not exported.
 */
module org.nexusreussite.secrets {
  requires com.github.benmanes.caffeine;
  // annotations only: not needed at run time, nor by modules compiled against this one
  requires static org.jspecify;
  // only spi.support.BoundedBodyHandler uses it, for backends that talk HTTP through the JDK client (which read
  // java.net.http themselves); applications without such a backend do not need the module
  requires static java.net.http;

  exports org.nexusreussite.secrets;
  exports org.nexusreussite.secrets.spi;
  exports org.nexusreussite.secrets.spi.support;

  uses org.nexusreussite.secrets.spi.SecretBackendProvider;
  uses org.nexusreussite.secrets.spi.SecretGeneratorProvider;

  provides org.nexusreussite.secrets.spi.SecretBackendProvider
      with org.nexusreussite.secrets.internal.EnvBackendProvider;
}
