package org.nexusreussite.secrets.benchmarks;

import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.vault.VaultBackendProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 6, store overhead: one cold read of a KV v2 path on a real OpenBao dev server (the testkit's
 * {@link OpenBaoServer}, on 127.0.0.1), through our Vault backend's {@code fetch(key, latest)} (no resolver,
 * so no cache) against vault-java-driver 6.2.0's {@code logical().read(path)} of the same path. Both clients
 * are authenticated with the root token and warmed up (connection open, mount detected) before measuring,
 * so the figure is the per-request cost: one {@code GET /v1/secret/data/bench} each, plus what each client
 * does around it. The backend's request counter is checked at tear-down: exactly one request per fetch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VaultFetchBenchmark {
  private static final String PATH = "secret/bench";

  private OpenBaoServer bao;
  private SecretBackend backend;
  private Vault driver;
  private long ourFetches;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    bao = OpenBaoServer.shared();
    bao.api("POST", "/v1/secret/data/bench", "{\"data\":{\"SECRET_KEY\":\"9f4c2d7e1b8a6035c4e2f1d0a9b8c7d6\","
        + "\"JWT_SECRET_KEY\":\"jwt-3c1e5b7d9f2a4c6e8b0d1f3a5c7e9b2d\","
        + "\"DATABASE_URL\":\"postgres://app:s3cr3t-pw@db.internal:5432/app\"}}");
    ManualClock clock = new ManualClock();
    // the root token does not expire: the renewal scheduler is never needed
    backend = new VaultBackendProvider(() -> Path.of("/nonexistent-home")).create(
        TestBackendContext.of(VaultBackendProvider.ID, Map.of("VAULT_ADDR", bao.address(),
            "VAULT_TOKEN", bao.rootToken(), "VAULT_PATH", PATH))
            .withScheduler(new ManualScheduler(clock)).withClock(Clock.systemUTC()));
    driver = Vault.create(new VaultConfig().address(bao.address()).token(bao.rootToken()).engineVersion(2)
        .build());
    // first reads: log in / detect the mount / open the connections
    if (!ours().value().reveal().startsWith("postgres:") || !raw().getData().get("DATABASE_URL").startsWith("postgres:")) {
      throw new IllegalStateException("the two clients do not read the same secret");
    }
  }

  @Benchmark
  public Secret ours() {
    ourFetches++;
    return backend.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow();
  }

  @Benchmark
  public LogicalResponse raw() throws Exception {
    return driver.logical().read(PATH);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long requests = ((org.nexusreussite.secrets.vault.VaultSecretBackend) backend).requestCount();
    System.out.printf("%n[vault] our backend: %d fetches, %d HTTP requests%n", ourFetches, requests);
    backend.close();
  }
}
