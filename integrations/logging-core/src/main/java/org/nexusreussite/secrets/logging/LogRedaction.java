package org.nexusreussite.secrets.logging;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.SecretsException;

/**
 * Where the logging adapters find their {@link SecretRedactor}: the one installed in code with
 * {@link #install(SecretRedactor)} or {@link #install(SecretResolver)}, else one following the
 * {@link Secrets} default resolver once that exists.
 *
 * <p>Following the default never builds it: logging starts before the application's first
 * {@code Secrets.resolve(...)}, and building a resolver there could fail the logging set-up or recurse
 * into logging. Until the default exists nothing is served, so there is nothing to redact. When the
 * default is replaced ({@link Secrets#setDefault}), the next line follows the new one. Options for the
 * followed default come from the environment ({@link RedactionOptions#fromConfig}).
 *
 * <pre>{@code
 * SecretResolver resolver = SecretResolver.builder().discover().build();
 * LogRedaction.install(resolver); // not needed when the app uses Secrets.resolve(...)
 * }</pre>
 *
 * <p>Thread-safe. The per-line cost of {@link #redactor()} is two volatile reads.
 */
public final class LogRedaction {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets.logging");
  private static final Object LOCK = new Object();
  private static volatile @Nullable SecretRedactor installed;
  private static volatile @Nullable Followed followed;
  /** The thread attaching to the default now: a log line it writes meanwhile must not attach again. */
  private static @Nullable Thread attaching;

  private record Followed(SecretResolver resolver, SecretRedactor redactor) {}

  private LogRedaction() {}

  /** The redactor in force: installed, else following the default resolver, else {@link SecretRedactor#none()}. */
  public static SecretRedactor redactor() {
    SecretRedactor r = installed;
    if (r != null) {
      return r;
    }
    Optional<SecretResolver> d = Secrets.defaultIfPresent();
    if (d.isEmpty()) {
      return SecretRedactor.none();
    }
    Followed f = followed;
    if (f != null && f.resolver == d.get()) {
      return f.redactor;
    }
    return follow(d.get());
  }

  private static SecretRedactor follow(SecretResolver resolver) {
    synchronized (LOCK) {
      Followed f = followed;
      if (f != null && f.resolver == resolver) {
        return f.redactor;
      }
      if (attaching == Thread.currentThread()) {
        return SecretRedactor.none(); // a line logged while attaching (a bound warning): nothing to add
      }
      attaching = Thread.currentThread();
      try {
        SecretRedactor r = attachOrNone(resolver);
        if (f != null) {
          f.redactor.close();
        }
        followed = new Followed(resolver, r);
        return r;
      } finally {
        attaching = null;
      }
    }
  }

  /**
   * A resolver that cannot report what it serves (a hand-written or decorating {@link SecretResolver}) gets
   * {@link SecretRedactor#none()}, remembered like any followed resolver: asking again on every line would throw
   * on every line, and a log call must never throw (Logback drops an appender's output after a few errors).
   */
  private static SecretRedactor attachOrNone(SecretResolver resolver) {
    try {
      return SecretRedactor.attach(resolver, environmentOptions());
    } catch (UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.WARNING, "Log redaction is off for the Secrets default resolver "
          + resolver.getClass().getName() + ": it cannot report the values it serves (SecretResolver.onServe); "
          + "install a redactor with LogRedaction.install(...) over a resolver built with SecretResolver.builder()");
      return SecretRedactor.none();
    }
  }

  /**
   * Options from the environment; a malformed setting must not make a log call throw, so it falls back to
   * the defaults with a WARNING naming the setting (this thread's own lines are not redacted meanwhile).
   */
  private static RedactionOptions environmentOptions() {
    try {
      return RedactionOptions.fromConfig(SecretsConfig.fromEnvironment());
    } catch (SecretsException e) {
      LOG.log(System.Logger.Level.WARNING, "Log redaction uses its defaults: " + e.getMessage());
      return RedactionOptions.defaults();
    }
  }

  /**
   * Makes the adapters use {@code redactor} instead of following the default resolver, and returns it.
   */
  public static SecretRedactor install(SecretRedactor redactor) {
    installed = Objects.requireNonNull(redactor, "redactor");
    return redactor;
  }

  /**
   * Makes the adapters redact what {@code resolver} serves, with options from the environment, and returns
   * the redactor, which the caller closes with the resolver.
   *
   * @throws org.nexusreussite.secrets.BackendConfigurationException when a {@code SECRETS_LOG_REDACTION_*}
   *     setting is malformed
   */
  public static SecretRedactor install(SecretResolver resolver) {
    return install(SecretRedactor.attach(resolver, RedactionOptions.fromConfig(SecretsConfig.fromEnvironment())));
  }

  /**
   * For integrations that build an application's resolver (the Spring starter, the MicroProfile config source):
   * makes the adapters redact what {@code resolver} serves, with options from {@code settings}, and returns what
   * undoes it (closes the redactor and, if it is still the installed one, removes it). A resolver that cannot
   * report the values it serves installs nothing (a WARNING says so) and gets a no-op.
   *
   * @throws org.nexusreussite.secrets.BackendConfigurationException when a {@code SECRETS_LOG_REDACTION_*}
   *     setting is malformed
   */
  public static AutoCloseable installFollowing(SecretResolver resolver, SecretsConfig settings) {
    SecretRedactor redactor;
    try {
      redactor = SecretRedactor.attach(resolver, RedactionOptions.fromConfig(settings));
    } catch (UnsupportedOperationException e) {
      LOG.log(System.Logger.Level.WARNING, "Log redaction cannot follow " + resolver.getClass().getName()
          + ": it does not report the values it serves (SecretResolver.onServe); install a redactor with "
          + "LogRedaction.install(...)");
      return () -> { };
    }
    install(redactor);
    return () -> {
      synchronized (LOCK) {
        if (installed == redactor) {
          installed = null;
        }
      }
      redactor.close();
    };
  }

  /** Removes the installed redactor: the adapters follow the default resolver again. */
  public static void reset() {
    installed = null;
  }
}
