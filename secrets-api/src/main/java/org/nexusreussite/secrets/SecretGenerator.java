package org.nexusreussite.secrets;

/**
 * Makes new secret values for rotation. Built-ins come from {@link SecretGenerators} ({@code hex:32},
 * {@code base64:48}, {@code password:32}); custom rules (a database's password policy) plug in with
 * {@link org.nexusreussite.secrets.spi.SecretGeneratorProvider}. Implementations are thread-safe and draw
 * from {@link java.security.SecureRandom}.
 */
@FunctionalInterface
public interface SecretGenerator {

  /** A new random value. */
  SecretValue generate();

  /** A description for output, e.g. {@code hex:32}; never a value. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
