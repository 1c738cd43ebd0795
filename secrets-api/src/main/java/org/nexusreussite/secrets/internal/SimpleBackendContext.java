package org.nexusreussite.secrets.internal;

import java.time.Clock;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;

/** The context handed to providers. */
record SimpleBackendContext(String backendId, SecretsConfig config, Profile profile, TaskScheduler scheduler,
    Clock clock) implements BackendContext {

  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets." + backendId);
  }
}
