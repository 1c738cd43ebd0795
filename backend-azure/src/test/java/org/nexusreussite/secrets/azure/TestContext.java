package org.nexusreussite.secrets.azure;

import java.time.Clock;
import java.util.Map;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** A backend context over given settings, isolated from the real environment. */
record TestContext(SecretsConfig config, Profile profile, TaskScheduler scheduler, Clock clock)
    implements BackendContext {

  static TestContext of(Map<String, String> settings) {
    SecretsConfig config = SecretsConfig.of(settings);
    ManualClock clock = new ManualClock();
    return new TestContext(config, Profile.from(config), new ManualScheduler(clock), clock);
  }

  @Override
  public String backendId() {
    return AzureSecretBackend.ID;
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets.azure");
  }
}
