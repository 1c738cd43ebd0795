package org.nexusreussite.secrets.spi;

import java.time.Clock;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * What a provider is given to decide activation and to build its backend: configuration, the profile,
 * a shared scheduler, a clock and a logger. Thread-safe.
 */
public interface BackendContext {

  /** The id of the provider being asked. */
  String backendId();

  /** Settings from system properties, environment and {@code secrets.properties}. */
  SecretsConfig config();

  /** The active profile ({@code development}, {@code production}, ...). */
  Profile profile();

  /** The scheduler shared by the resolver and its backends. */
  TaskScheduler scheduler();

  /** The clock to timestamp fetches with; tests inject a fake. */
  Clock clock();

  /** A logger named after the backend, e.g. {@code org.nexusreussite.secrets.vault}. */
  System.Logger logger();

  /**
   * Fails fast in a strict profile when {@code endpoint} is not {@code https://}.
   *
   * @param setting the setting that holds the endpoint, for the message
   * @throws org.nexusreussite.secrets.BackendConfigurationException in a strict profile with an
   *     {@code http://} endpoint
   */
  default void requireHttpsInStrictProfile(String setting, String endpoint, String storeName) {
    if (profile().strict() && endpoint != null && !endpoint.regionMatches(true, 0, "https://", 0, 8)) {
      throw new org.nexusreussite.secrets.BackendConfigurationException(backendId(),
          storeName + " address must use HTTPS in production (" + setting + " is not https:// in profile '"
              + profile().name() + "')");
    }
  }
}
