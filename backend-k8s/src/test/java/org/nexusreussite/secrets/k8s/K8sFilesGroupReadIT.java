package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * Issue 13 §5, consistent groups: three keys read together from a mounted Secret volume come from one
 * {@code ..data} generation, however the kubelet swaps generations meanwhile (real files and symlinks).
 */
class K8sFilesGroupReadIT {
  private static final List<String> GROUP = List.of("DB_HOST", "DB_USER", "DB_PASSWORD");

  @TempDir
  Path temp;

  private static Map<String, String> generation(int gen) {
    return Map.of("DB_HOST", "host-" + gen, "DB_USER", "user-" + gen, "DB_PASSWORD", "password-" + gen);
  }

  private static String generationOf(Secret s) {
    return s.reveal().substring(s.reveal().indexOf('-') + 1);
  }

  @Test
  void threeKeysReadAsAGroupNeverMixTwoGenerationsAcrossAThousandSwaps() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("mount"));
    volume.putAll(generation(0));
    SecretBackend backend = new K8sFilesBackendProvider().create(BackendContext.builder(K8sFilesSecretBackend.ID)
        .config(SecretsConfig.of(Map.of(K8sFilesBackendProvider.MOUNT, volume.dir().toString()))).build());
    List<String> mixed = new CopyOnWriteArrayList<>();
    AtomicBoolean swapping = new AtomicBoolean(true);
    AtomicInteger groupReads = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(2);
    int swaps = 0;
    try {
      List<Future<?>> futures = List.of(readers.submit(() -> readGroups(backend, swapping, groupReads, mixed)),
          readers.submit(() -> readGroups(backend, swapping, groupReads, mixed)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((swaps < 1_000 || groupReads.get() < 1_000) && System.nanoTime() < deadline) {
        volume.putAll(generation(++swaps));
      }
      swapping.set(false);
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      swapping.set(false);
      readers.shutdownNow();
      backend.close();
    }

    assertThat(swaps).isGreaterThanOrEqualTo(1_000);
    assertThat(groupReads.get()).isGreaterThanOrEqualTo(1_000);
    assertThat(mixed).as("group reads mixing generations").isEmpty();
  }

  private static Void readGroups(SecretBackend backend, AtomicBoolean swapping, AtomicInteger reads,
      List<String> mixed) {
    while (swapping.get()) {
      Map<String, Secret> group = backend.fetchAll(GROUP);
      String host = generationOf(group.get("DB_HOST"));
      String user = generationOf(group.get("DB_USER"));
      String password = generationOf(group.get("DB_PASSWORD"));
      if (!host.equals(user) || !user.equals(password)) {
        mixed.add("host " + host + ", user " + user + ", password " + password);
      }
      reads.incrementAndGet();
    }
    return null;
  }
}
