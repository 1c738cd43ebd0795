package org.nexusreussite.secrets;

import java.util.List;

/**
 * Required secrets did not resolve. Lists all of them at once, with the reason per backend and the
 * troubleshooting hints:
 *
 * <pre>
 * Missing required secrets in production: DATABASE_URL, JWT_SECRET_KEY (searched: env, vault)
 *   DATABASE_URL: env: not found; vault: not found
 *   ...
 * </pre>
 */
public class MissingSecretsException extends SecretsException {
  private static final long serialVersionUID = 1L;
  private final transient ValidationReport report;

  /** Creates the exception from a failed report. */
  public MissingSecretsException(ValidationReport report) {
    super(report.toString());
    this.report = report;
  }

  /** The full report. */
  public ValidationReport report() {
    return report;
  }

  /** The missing keys. */
  public List<String> missingKeys() {
    return report.missingKeys();
  }
}
