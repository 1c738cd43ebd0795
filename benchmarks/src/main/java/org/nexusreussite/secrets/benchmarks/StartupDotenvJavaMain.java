package org.nexusreussite.secrets.benchmarks;

import io.github.cdimascio.dotenv.Dotenv;

/**
 * Benchmark 5, the baseline: the same three keys read from {@code ./.env} with plain dotenv-java
 * ({@code Dotenv.load()}, its default: the working directory). Launched by {@link StartupCheck} with only
 * dotenv-java on the class path. Prints the total length of the three values, never a value.
 */
public final class StartupDotenvJavaMain {
  private StartupDotenvJavaMain() {}

  public static void main(String[] args) {
    Dotenv dotenv = Dotenv.load();
    int length = 0;
    for (String key : new String[] {"SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL"}) {
      length += dotenv.get(key).length();
    }
    System.out.println("resolved 3 keys, " + length + " chars");
  }
}
