package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * Rotation of a mounted Secret volume through a real {@link java.nio.file.WatchService}: swaps made the
 * kubelet's way reach the resolver's rotation listeners, once, and concurrent readers never see a torn
 * or mixed value. Waits are bounded polls on the real watcher; the resolver itself runs on a manual
 * clock and scheduler.
 */
class K8sFilesRotationIT {
  private static final Duration WATCH_DEADLINE = Duration.ofSeconds(5);

  @TempDir
  Path temp;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private SecretResolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private SecretResolver resolver(KubeletVolume volume) {
    resolver = SecretResolver.builder()
        .config(SecretsConfig.of(Map.of(K8sFilesBackendProvider.MOUNT, volume.dir().toString())))
        .provider(new K8sFilesBackendProvider())
        .clock(clock).scheduler(scheduler)
        .refreshInterval(Duration.ofHours(1)).maxStale(Duration.ofHours(2))
        .build();
    return resolver;
  }

  /** Runs the resolver's due tasks until {@code done} holds; fails after {@link #WATCH_DEADLINE}. */
  private Duration pollUntil(BooleanSupplier done) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + WATCH_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      scheduler.runDue();
      if (done.getAsBoolean()) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(10);
    }
    throw new AssertionError("not seen within " + WATCH_DEADLINE);
  }

  @Test
  void aSwapFiresTheRotationListenerOnceWithinASecond() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("mount")).putAll(Map.of("database-url", "postgres://a"));
    SecretResolver resolver = resolver(volume);
    assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://a");
    List<SecretRotation> rotations = new CopyOnWriteArrayList<>();
    resolver.onRotation("DATABASE_URL", rotations::add);

    volume.put("database-url", "postgres://b");
    Duration seenAfter = pollUntil(() -> !rotations.isEmpty());

    System.out.println("k8s-files: rotation listener fired " + seenAfter.toMillis() + " ms after the swap");
    assertThat(seenAfter).isLessThan(Duration.ofMillis(1500));
    assertThat(resolver.resolve("DATABASE_URL")).isEqualTo("postgres://b");
    SecretRotation rotation = rotations.get(0);
    assertThat(rotation.current().version().id()).isEqualTo(volume.generation());
    assertThat(rotation.previous().orElseThrow().reveal()).isEqualTo("postgres://a");
    // the debounce window is 100-500 ms: a second notification for the same swap would arrive by then
    long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FolderWatcher.MAX_WAIT_MS * 2);
    while (System.nanoTime() < quietUntil) {
      scheduler.runDue();
      Thread.sleep(20);
    }
    assertThat(rotations).hasSize(1);
  }

  @Test
  void aKeyWhoseValueDidNotChangeDoesNotRotate() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("mount")).putAll(Map.of("a", "1", "b", "2"));
    SecretResolver resolver = resolver(volume);
    resolver.resolve("a");
    resolver.resolve("b");
    List<String> rotated = new CopyOnWriteArrayList<>();
    resolver.onRotation(r -> rotated.add(r.key()));

    volume.put("b", "3");
    pollUntil(() -> rotated.contains("b"));
    resolver.admin().refresh(); // a full refresh reads "a" again: same value, same version, no rotation
    scheduler.runDue();

    assertThat(rotated).containsExactly("b");
  }

  @Test
  void aKeyAddedBySwapIsFoundAfterBeingMissing() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("mount")).put("a", "1");
    SecretResolver resolver = resolver(volume);
    assertThat(resolver.find("NEW_KEY")).isEmpty();

    volume.put("new-key", "fresh");

    pollUntil(() -> resolver.find("NEW_KEY").isPresent());
    assertThat(resolver.resolve("NEW_KEY")).isEqualTo("fresh");
  }

  @Test
  void manySwapsWithConcurrentReadersNeverGiveATornOrMixedRead() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("mount"));
    volume.putAll(generation(0));
    Map<String, Integer> generationByFolder = new ConcurrentHashMap<>();
    generationByFolder.put(volume.generation(), 0);
    SecretBackend backend = new K8sFilesBackendProvider().create(TestBackendContext.of(K8sFilesSecretBackend.ID,
        Map.of(K8sFilesBackendProvider.MOUNT, volume.dir().toString())));
    List<String> problems = new CopyOnWriteArrayList<>();
    List<String[]> versionsSeen = new CopyOnWriteArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    ExecutorService readers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        boolean batch = r % 2 == 0;
        futures.add(readers.submit(() -> {
          while (writing.get()) {
            if (batch) {
              Map<String, Secret> both = backend.fetchAll(List.of("USERNAME", "PASSWORD"));
              int user = check(both.get("USERNAME"), "user", problems);
              int pass = check(both.get("PASSWORD"), "pass", problems);
              if (user != pass) {
                problems.add("mixed batch: user from generation " + user + ", password from " + pass);
              }
            } else {
              Secret s = backend.fetch("PASSWORD", VersionSelector.latest()).orElseThrow();
              int gen = check(s, "pass", problems);
              if (versionsSeen.size() < 50_000) {
                versionsSeen.add(new String[] {s.version().id(), Integer.toString(gen)});
              }
            }
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      // at least 200 swaps, and on until the readers have had a fair share of the CPU (a loaded machine may
      // starve them during the first 200), within a bound
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int gen = 0;
      while ((gen < 200 || reads.get() <= 100) && System.nanoTime() < deadline) {
        gen++;
        volume.putAll(generation(gen));
        generationByFolder.put(volume.generation(), gen);
      }
      writing.set(false);
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      writing.set(false);
      readers.shutdownNow();
      backend.close();
    }
    for (String[] seen : versionsSeen) {
      if (!Integer.valueOf(seen[1]).equals(generationByFolder.get(seen[0]))) {
        problems.add("value of generation " + seen[1] + " labelled with folder " + seen[0]);
      }
    }
    assertThat(reads.get()).isGreaterThan(100);
    assertThat(problems).isEmpty();
  }

  /** Two keys whose values name their generation and are long enough that a partial write would show. */
  private static Map<String, String> generation(int gen) {
    return Map.of("USERNAME", body("user", gen), "PASSWORD", body("pass", gen));
  }

  private static String body(String kind, int gen) {
    String head = kind + "-" + gen + ":";
    return head + String.valueOf((char) ('a' + gen % 26)).repeat(64 * 1024) + ":end";
  }

  private static int check(Secret secret, String kind, List<String> problems) {
    String value = secret.reveal();
    int colon = value.indexOf(':');
    int gen = Integer.parseInt(value.substring(kind.length() + 1, colon));
    if (!value.equals(body(kind, gen))) {
      problems.add("torn " + kind + " value of generation " + gen + " (" + value.length() + " chars)");
    }
    return gen;
  }

  @Test
  void closingTheBackendStopsTheWatcherThread() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("mount")).put("a", "1");
    SecretResolver resolver = resolver(volume);
    resolver.resolve("a");
    assertThat(watcherThreads()).isNotEmpty();
    resolver.close();
    this.resolver = null;
    long deadline = System.nanoTime() + WATCH_DEADLINE.toNanos();
    while (!watcherThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(watcherThreads()).isEmpty();
  }

  private static Set<Thread> watcherThreads() {
    Set<Thread> out = ConcurrentHashMap.newKeySet();
    Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("nexus-secrets-k8s-files-watch") && t.isAlive()).forEach(out::add);
    return out;
  }
}
