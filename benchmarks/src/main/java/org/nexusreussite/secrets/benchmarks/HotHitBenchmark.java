package org.nexusreussite.secrets.benchmarks;

import com.amazonaws.secretsmanager.caching.SecretCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmarks 1 and 2: a hit on a cached key among 50, through our resolver and facade, against the
 * structures it is built on (ConcurrentHashMap, plain Caffeine) and against the AWS caching client.
 * The thread count is set by the subclasses ({@link HotHit1Thread}, {@link HotHit2Threads},
 * {@link HotHit8Threads}) so that one JMH run covers 1, 2 and 8 threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class HotHitBenchmark {
  /** Not a compile-time constant, so the JIT cannot fold the lookups away. */
  private String key;
  private ConcurrentHashMap<String, String> map;
  private Cache<String, String> caffeine;
  private SecretResolver resolver;
  /** Same keys, refreshed once: its store is Caffeine (the plain map of the first reads is promoted). */
  private SecretResolver refreshed;
  private SecretResolver previousDefault;
  private SecretCache awsCache;

  @Setup
  public void setUp() {
    key = new String(Fixtures.HOT_KEY.toCharArray());
    map = new ConcurrentHashMap<>();
    // the same bound as the resolver's default: a size policy only, no time-based policy
    caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
    StubAwsSecretsManager aws = new StubAwsSecretsManager();
    for (int i = 0; i < Fixtures.KEYS; i++) {
      map.put(Fixtures.key(i), Fixtures.value(i));
      caffeine.put(Fixtures.key(i), Fixtures.value(i));
      aws.put(Fixtures.key(i), Fixtures.value(i));
    }
    // the default refresh interval (5 minutes): no refresh happens during a measurement
    resolver = Fixtures.resolver(Fixtures.backend(Fixtures.KEYS), Duration.ofMinutes(5));
    Fixtures.warm(resolver, Fixtures.KEYS);
    refreshed = Fixtures.resolver(Fixtures.backend(Fixtures.KEYS), Duration.ofMinutes(5));
    Fixtures.warm(refreshed, Fixtures.KEYS);
    // issue 18: the first refresh moves the entries from the plain map into Caffeine
    refreshed.admin().refresh().join();
    previousDefault = Secrets.setDefault(resolver);
    awsCache = new SecretCache(aws);
    for (int i = 0; i < Fixtures.KEYS; i++) {
      if (!Fixtures.value(i).equals(awsCache.getSecretString(Fixtures.key(i)))) {
        throw new IllegalStateException("the AWS caching client returned the wrong value");
      }
    }
  }

  @TearDown
  public void tearDown() {
    Secrets.setDefault(previousDefault);
    resolver.close();
    refreshed.close();
    awsCache.close();
  }

  @Benchmark
  public String concurrentHashMapGet() {
    return map.get(key);
  }

  @Benchmark
  public String caffeineGetIfPresent() {
    return caffeine.getIfPresent(key);
  }

  @Benchmark
  public String secretResolverResolve() {
    return resolver.resolve(key);
  }

  /** A hit once refreshing started, the store being Caffeine (issue 18); the rows above hit the plain map. */
  @Benchmark
  public String secretResolverResolveAfterRefresh() {
    return refreshed.resolve(key);
  }

  @Benchmark
  public String secretsResolve() {
    return Secrets.resolve(key);
  }

  @Benchmark
  public String awsSecretCacheGetSecretString() {
    return awsCache.getSecretString(key);
  }
}
