package org.nexusreussite.secrets.spring;

import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.ValidationReport;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints an SDK failure at start-up the way Spring prints its own ({@code APPLICATION FAILED TO START},
 * Description, Action): the {@link MissingSecretsException} report with every missing key and the
 * backends searched, or the setting a {@link BackendConfigurationException} names. Registered in
 * {@code META-INF/spring.factories}. SDK messages carry no values, so neither does the analysis.
 */
public final class SecretsFailureAnalyzer extends AbstractFailureAnalyzer<SecretsException> {

  /** Public no-argument constructor, for {@code spring.factories}. */
  public SecretsFailureAnalyzer() {}

  @Override
  protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SecretsException cause) {
    if (cause instanceof MissingSecretsException missing) {
      ValidationReport report = missing.report();
      StringBuilder action = new StringBuilder("Provide each missing secret in one of the searched backends, "
          + "or remove it from nexus.secrets.required / SECRETS_REQUIRED.");
      for (String hint : ValidationReport.HINTS) {
        action.append(System.lineSeparator()).append("- ").append(hint);
      }
      return new FailureAnalysis(describe(report), action.toString(), cause);
    }
    String action;
    if (cause instanceof BackendConfigurationException) {
      action = "Correct the setting or add the backend jar named above (settings may be given as "
          + "nexus.secrets.* Spring properties, SECRETS_* variables or secrets.* system properties).";
    } else if (cause instanceof BackendAuthenticationException) {
      action = "Check the credentials of the backend named above (token validity, policies, identity).";
    } else if (cause instanceof BackendUnavailableException) {
      action = "Check connectivity to the backend named above, or start without it by removing its "
          + "settings; 'secrets doctor' reports what each backend sees.";
    } else {
      action = "See the message above; 'secrets doctor' reports the resolver's configuration.";
    }
    return new FailureAnalysis("Secrets could not be loaded: " + cause.getMessage(), action, cause);
  }

  private static String describe(ValidationReport report) {
    String full = report.toString();
    // the report's hint lines go to Action; keep the summary and the per-key lines here
    int hints = full.indexOf(System.lineSeparator() + "- ");
    return hints < 0 ? full : full.substring(0, hints);
  }
}
