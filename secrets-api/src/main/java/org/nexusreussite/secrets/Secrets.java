package org.nexusreussite.secrets;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The static entry point: {@code Secrets.resolve("DATABASE_URL")}. Backed by a default
 * {@link SecretResolver} built lazily, once, from the environment ({@link SecretResolver#fromEnvironment()})
 * on first use. Thread-safe.
 *
 * <pre>{@code
 * String url = Secrets.resolve("DATABASE_URL");
 * String key = Secrets.resolve("OPENAI_API_KEY", "");
 * }</pre>
 */
public final class Secrets {
  private static final Object LOCK = new Object();
  private static volatile @Nullable SecretResolver resolver;

  private Secrets() {}

  /**
   * The default resolver, built on first call.
   *
   * @throws MissingSecretsException in a strict profile when required secrets are missing
   */
  public static SecretResolver resolver() {
    SecretResolver r = resolver;
    if (r == null) {
      synchronized (LOCK) {
        r = resolver;
        if (r == null) {
          r = SecretResolver.fromEnvironment();
          resolver = r;
        }
      }
    }
    return r;
  }

  /**
   * The default resolver if one has been built or set, without building one: for integrations that
   * follow the default but must not trigger its construction (log redaction runs inside logging, where
   * building a resolver could recurse into logging or fail the application's logging set-up).
   */
  public static Optional<SecretResolver> defaultIfPresent() {
    return Optional.ofNullable(resolver);
  }

  /**
   * Replaces the default resolver (tests, frameworks that build their own) and returns the previous one,
   * which the caller closes if it wants to. Pass null to let the next call build a new default.
   */
  public static @Nullable SecretResolver setDefault(@Nullable SecretResolver replacement) {
    synchronized (LOCK) {
      SecretResolver previous = resolver;
      resolver = replacement;
      return previous;
    }
  }

  /** See {@link SecretResolver#resolve(String)}. */
  public static String resolve(String key) {
    return resolver().resolve(key);
  }

  /** See {@link SecretResolver#resolve(String, String)}. */
  public static String resolve(String key, String defaultValue) {
    return resolver().resolve(key, defaultValue);
  }

  /** See {@link SecretResolver#find(String)}. */
  public static Optional<String> find(String key) {
    return resolver().find(key);
  }

  /** See {@link SecretResolver#secret(String)}. */
  public static Secret secret(String key) {
    return resolver().secret(key);
  }
}
