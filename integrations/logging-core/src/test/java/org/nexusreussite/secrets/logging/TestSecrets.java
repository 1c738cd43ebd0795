package org.nexusreussite.secrets.logging;

import java.time.Instant;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;

/** Test secrets. */
final class TestSecrets {
  private TestSecrets() {}

  static Secret of(String key, String value) {
    return Secret.of(key, SecretValue.of(value), SecretVersion.of("1"), "test", Instant.EPOCH);
  }
}
