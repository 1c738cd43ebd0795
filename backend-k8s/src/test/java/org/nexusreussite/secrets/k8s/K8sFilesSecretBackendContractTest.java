package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;

/** The SPI contract over a real folder in the kubelet's Secret-volume layout. */
class K8sFilesSecretBackendContractTest extends SecretBackendContractTest {

  @TempDir
  Path temp;
  private KubeletVolume volume;

  @Override
  protected SecretBackend createBackend() throws Exception {
    if (volume == null) {
      volume = new KubeletVolume(temp.resolve("mount")).putAll(Map.of("SEED", "seed"));
    }
    return new K8sFilesBackendProvider().create(TestBackendContext.of(K8sFilesSecretBackend.ID,
        Map.of(K8sFilesBackendProvider.MOUNT, volume.dir().toString())));
  }

  @Override
  protected void store(String key, String value) throws Exception {
    volume.put(key, value);
  }
}
