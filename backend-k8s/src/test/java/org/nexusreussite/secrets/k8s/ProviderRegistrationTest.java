package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/** Both providers are found by ServiceLoader with their ids and default ordinals. */
class ProviderRegistrationTest {

  @Test
  void bothProvidersAreRegisteredWithTheirOrdinals() {
    Map<String, Integer> ordinals = new HashMap<>();
    for (SecretBackendProvider provider : ServiceLoader.load(SecretBackendProvider.class)) {
      ordinals.put(provider.id(), provider.defaultOrdinal());
    }
    assertThat(ordinals).containsEntry("k8s-files", 350).containsEntry("k8s", 300);
  }
}
