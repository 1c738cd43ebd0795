/** The {@code .env} file backend of the Nexus Secrets SDK: provider id {@code dotenv}, ordinal 100. */
module org.nexusreussite.secrets.dotenv {
  requires org.nexusreussite.secrets;
  requires static org.jspecify;

  provides org.nexusreussite.secrets.spi.SecretBackendProvider
      with org.nexusreussite.secrets.dotenv.DotenvBackendProvider;
}
