package org.nexusreussite.secrets.spi;

import org.nexusreussite.secrets.SecretGenerator;

/**
 * A plug-in generator, found with {@link java.util.ServiceLoader} (register it in
 * {@code META-INF/services/org.nexusreussite.secrets.spi.SecretGeneratorProvider} and with
 * {@code provides} in {@code module-info.java}). {@code SecretGenerators.parse("NAME:ARGUMENT")} asks the
 * provider whose {@link #name()} is {@code NAME}. Public no-arg constructor; thread-safe.
 */
public interface SecretGeneratorProvider {

  /** The name used in specs and policy files, e.g. {@code pgpassword}; lower case, no colon. */
  String name();

  /**
   * A generator for the text after {@code NAME:} (empty when there is none).
   *
   * @throws IllegalArgumentException when the argument is not understood; the message names the spec's form
   */
  SecretGenerator create(String argument);
}
