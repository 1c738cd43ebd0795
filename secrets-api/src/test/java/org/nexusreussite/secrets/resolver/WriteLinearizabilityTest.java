package org.nexusreussite.secrets.resolver;

import java.util.EnumSet;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * Lincheck (stress mode) drives writes (with and without an expected version), reads, refreshes, pins and
 * rollbacks of one key from several threads: every outcome must be explainable by some order of the same
 * operations run one at a time. In particular a read that starts after a write returned sees that write or a
 * later one, and of writers expecting the same version exactly one wins.
 */
@Param(name = "n", gen = IntGen.class, conf = "1:3")
public class WriteLinearizabilityTest {
  private final SecretResolver resolver;

  public WriteLinearizabilityTest() {
    ManualClock clock = new ManualClock();
    InMemorySecretBackend store = new InMemorySecretBackend("vault",
        EnumSet.of(Capability.VERSIONS, Capability.WRITE), clock);
    store.put("KEY", "v1");
    resolver = SecretResolver.builder().config(SecretsConfig.empty()).backend(store, 300).clock(clock)
        .scheduler(new ManualScheduler(clock)).build();
  }

  @Operation
  public String read() {
    return resolver.resolve("KEY");
  }

  @Operation
  public String write(@Param(name = "n") int n) {
    return resolver.admin().write("KEY", SecretValue.of("w" + n), WriteOptions.defaults()).current().id();
  }

  @Operation
  public String writeExpecting(@Param(name = "n") int n) {
    try {
      return resolver.admin().write("KEY", SecretValue.of("x" + n),
          WriteOptions.builder().expectedVersion(Integer.toString(n)).build()).current().id();
    } catch (WriteConflictException e) {
      return "conflict";
    }
  }

  @Operation
  public String pin(@Param(name = "n") int n) {
    try {
      return resolver.admin().pin("KEY", Integer.toString(n)).reveal();
    } catch (org.nexusreussite.secrets.SecretNotFoundException e) {
      return "no such version";
    }
  }

  @Operation
  public void unpin() {
    resolver.admin().unpin("KEY");
  }

  @Operation
  public void refresh() {
    resolver.admin().refresh("KEY");
  }

  @Test
  void writesReadsPinsAndRefreshesAreLinearizable() {
    LinChecker.check(WriteLinearizabilityTest.class, new StressOptions()
        .iterations(20).invocationsPerIteration(200).threads(3).actorsPerThread(2)
        .actorsBefore(1).actorsAfter(1));
  }
}
