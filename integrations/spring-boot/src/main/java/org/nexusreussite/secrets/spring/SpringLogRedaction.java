package org.nexusreussite.secrets.spring;

import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.logging.LogRedaction;
import org.springframework.util.ClassUtils;

/**
 * Makes log redaction ({@code secrets-logback} / {@code secrets-log4j2}, through {@code secrets-logging})
 * follow the starter's resolver. Left alone, the adapters follow the {@code Secrets} default, which the
 * starter's resolver is not: every value Spring served would reach the logs unredacted. The redaction
 * options come from the same settings as the resolver ({@code SECRETS_LOG_REDACTION_*}, Spring properties
 * included). Only this class names secrets-logging types, and only after checking they are present.
 */
final class SpringLogRedaction {
  private static final String LOG_REDACTION = "org.nexusreussite.secrets.logging.LogRedaction";

  private SpringLogRedaction() {}

  /**
   * Installs a redactor following {@code resolver} when secrets-logging is on the class path, and returns what
   * uninstalls and closes it with the context; null when there is nothing to install.
   */
  static @Nullable AutoCloseable installIfPresent(SecretResolver resolver, SecretsConfig settings) {
    if (!ClassUtils.isPresent(LOG_REDACTION, SpringLogRedaction.class.getClassLoader())) {
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
