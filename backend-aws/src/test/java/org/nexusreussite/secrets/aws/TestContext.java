package org.nexusreussite.secrets.aws;

import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** A provider context for tests: given settings and profile, a manual clock and scheduler. */
record TestContext(SecretsConfig config, Profile profile, ManualClock clock) implements BackendContext {

  static TestContext of(SecretsConfig config) {
    return new TestContext(config, Profile.development(), new ManualClock());
  }

  static TestContext production(SecretsConfig config) {
    return new TestContext(config, Profile.production(), new ManualClock());
  }

  @Override
  public String backendId() {
    return AwsSecretBackend.ID;
  }

  @Override
  public TaskScheduler scheduler() {
    return new ManualScheduler(clock);
  }


  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets.aws");
  }
}
