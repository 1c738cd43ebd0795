package org.nexusreussite.secrets.vault;

import java.time.Clock;
import java.util.Map;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;

/** A backend context for tests, isolated from the real environment. */
record TestContext(SecretsConfig config, Profile profile, TaskScheduler scheduler, Clock clock)
    implements BackendContext {

  static TestContext of(Map<String, String> settings, TaskScheduler scheduler, Clock clock) {
    SecretsConfig config = SecretsConfig.of(settings);
    return new TestContext(config, Profile.from(config), scheduler, clock);
  }

  @Override
  public String backendId() {
    return VaultBackendProvider.ID;
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets.vault");
  }
}
