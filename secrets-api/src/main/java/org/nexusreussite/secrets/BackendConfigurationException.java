package org.nexusreussite.secrets;

import org.jspecify.annotations.Nullable;

/**
 * A setting is wrong or inconsistent: a malformed duration, an {@code http://} endpoint in a strict
 * profile, or a setting for a backend whose jar is not on the class path. The message names the
 * setting and what was expected; it never echoes the setting's value, which may be a credential.
 */
public class BackendConfigurationException extends BackendException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception for a backend ({@code "config"} when no single backend is concerned). */
  public BackendConfigurationException(String backendId, String message) {
    super(backendId, message, null);
  }

  /** Creates the exception keeping its cause. */
  public BackendConfigurationException(String backendId, String message, @Nullable Throwable cause) {
    super(backendId, message, cause);
  }

  /** A bad setting not tied to one backend. */
  public static BackendConfigurationException setting(String settingName, String expectation) {
    return new BackendConfigurationException(
        "config", "Invalid setting " + settingName + ": " + expectation);
  }
}
