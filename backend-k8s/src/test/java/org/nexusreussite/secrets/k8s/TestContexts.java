package org.nexusreussite.secrets.k8s;

import java.time.Clock;
import java.util.Map;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.TaskScheduler;

/** A {@link BackendContext} over given settings, for provider tests without a resolver. */
record TestContexts(String backendId, SecretsConfig config, Profile profile) implements BackendContext {

  static BackendContext of(String backendId, Map<String, String> settings) {
    return new TestContexts(backendId, SecretsConfig.of(settings), Profile.development());
  }

  static BackendContext strict(String backendId, Map<String, String> settings) {
    return new TestContexts(backendId, SecretsConfig.of(settings), Profile.production());
  }

  @Override
  public TaskScheduler scheduler() {
    return (task, delay) -> {
      throw new UnsupportedOperationException("no scheduling in provider tests");
    };
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public System.Logger logger() {
    return System.getLogger("org.nexusreussite.secrets." + backendId);
  }
}
