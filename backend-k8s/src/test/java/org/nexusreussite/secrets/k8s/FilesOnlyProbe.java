package org.nexusreussite.secrets.k8s;

import java.util.Map;
import java.util.concurrent.Callable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * Run inside a class loader without fabric8 by {@link FilesModeWithoutFabric8Test}: discovers the
 * providers and resolves a key from a plain mounted folder.
 */
public final class FilesOnlyProbe implements Callable<String> {
  private final String folder;

  /** Reads from {@code folder}. */
  public FilesOnlyProbe(String folder) {
    this.folder = folder;
  }

  @Override
  public String call() {
    try (SecretResolver resolver = SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_K8S_MOUNT", folder))).discover().build()) {
      return resolver.resolve("PROBE_KEY");
    }
  }
}
