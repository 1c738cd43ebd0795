package org.nexusreussite.secrets.benchmarks;

import org.nexusreussite.secrets.Secrets;

/**
 * Benchmark 5, our side: a whole JVM that resolves three keys from {@code ./.env} through
 * {@code Secrets.resolve} (providers found by ServiceLoader, as an application would), then exits.
 * Launched by {@link StartupCheck} with only secrets-api, backend-dotenv and Caffeine on the class path.
 * Prints the total length of the values, never a value. Arguments, when given, are the keys to read
 * instead of the three (benchmark 5 with 30 keys).
 */
public final class StartupSdkMain {
  private StartupSdkMain() {}

  public static void main(String[] args) {
    int length = 0;
    String[] keys = args.length > 0 ? args : new String[] {"SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL"};
    for (String key : keys) {
      length += Secrets.resolve(key).length();
    }
    System.out.println("resolved " + keys.length + " keys, " + length + " chars");
  }
}
