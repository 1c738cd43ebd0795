package org.nexusreussite.secrets;

import org.nexusreussite.secrets.spi.SecretGeneratorProvider;

/** A plug-in generator for GeneratorsTest: repeats its argument twice. */
public final class FixedTestGenerator implements SecretGeneratorProvider {
  @Override
  public String name() {
    return "fixedtest";
  }

  @Override
  public SecretGenerator create(String argument) {
    return () -> SecretValue.of(argument + argument);
  }
}
