package org.nexusreussite.secrets.benchmarks;

import io.github.cdimascio.dotenv.Dotenv;

/**
 * Benchmark 5, the baseline: the same three keys read from {@code ./.env} with plain dotenv-java
 * ({@code Dotenv.load()}, its default: the working directory). Launched by {@link StartupCheck} with only
 * dotenv-java on the class path. Prints the total length of the values, never a value. Arguments, when
 * given, are the keys to read instead of the three (benchmark 5 with 30 keys).
 */
public final class StartupDotenvJavaMain {
  private StartupDotenvJavaMain() {}

  public static void main(String[] args) {
    Dotenv dotenv = Dotenv.load();
    int length = 0;
    String[] keys = args.length > 0 ? args : new String[] {"SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL"};
    for (String key : keys) {
      length += dotenv.get(key).length();
    }
    System.out.println("resolved " + keys.length + " keys, " + length + " chars");
  }
}
