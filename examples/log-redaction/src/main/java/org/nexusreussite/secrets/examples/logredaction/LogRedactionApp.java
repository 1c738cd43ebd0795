package org.nexusreussite.secrets.examples.logredaction;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.nexusreussite.secrets.Secrets;

/**
 * Resolves {@code DB_PASSWORD} through the SDK, then logs it carelessly in every way an application can:
 * in a message, an argument, an exception, its cause and the MDC. {@code log4j2.xml} wraps the line in
 * {@code %redact{...}}: the output shows {@code [secret:DB_PASSWORD]} instead. Nothing is configured in
 * code: the redaction follows the {@code Secrets} default resolver.
 */
public final class LogRedactionApp {
  private static final Logger LOG = LogManager.getLogger(LogRedactionApp.class);

  private LogRedactionApp() {}

  /** Runs the example; {@code DB_PASSWORD} must be set (environment, .env or any active backend). */
  public static void main(String[] args) {
    String password = Secrets.resolve("DB_PASSWORD");
    ThreadContext.put("credential", password);
    LOG.info("connecting with " + password);
    LOG.warn("retrying with {}", password);
    LOG.error("login failed", new IllegalStateException("bad password " + password,
        new IllegalArgumentException("rejected " + password)));
    ThreadContext.clearAll();
    LOG.info("done");
    Secrets.resolver().close();
  }
}
