package org.nexusreussite.secrets.microprofile;

import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.logging.LogRedaction;

/**
 * Makes log redaction ({@code secrets-logback} / {@code secrets-log4j2}, through {@code secrets-logging})
 * follow the source's resolver, which is not the {@code Secrets} default the adapters follow otherwise. Only
 * this class names secrets-logging types, and only after checking they are present.
 */
final class MicroProfileLogRedaction {
  private static final String LOG_REDACTION = "org.nexusreussite.secrets.logging.LogRedaction";

  private MicroProfileLogRedaction() {}

  /** What undoes the installation, or null when secrets-logging is not on the class path. */
  static @Nullable AutoCloseable installIfPresent(SecretResolver resolver, SecretsConfig settings) {
    try {
      Class.forName(LOG_REDACTION, false, MicroProfileLogRedaction.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return null;
    }
    return Installed.install(resolver, settings);
  }

  private static final class Installed {
    static AutoCloseable install(SecretResolver resolver, SecretsConfig settings) {
      return LogRedaction.installFollowing(resolver, settings);
    }
  }
}
