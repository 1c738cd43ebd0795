package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * Coverage-guided fuzzing of how the Vault backend turns answers into secrets (issue 12, standing
 * defences), through its real HTTP stack against a local server that gives the fuzzed body and status
 * to one endpoint (the KV read, the mount detection, the token lookup or the KV v2 metadata) and
 * well-formed answers to the others. The normal test run replays the seed corpus in
 * {@code src/test/resources/.../VaultAnswersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} (see
 * {@code scripts/fuzz.sh}) mutates it. It uses only the backend's public entry points, so changes to the
 * HTTP layer (deadlines, size caps) keep it valid.
 *
 * <p>Invariants: {@code fetch} and {@code versions} return or throw a {@link SecretsException} (no other
 * exception or error); no message or cause in the chain contains the canary that every {@code #} of the
 * body becomes; one input takes well under the time limit.
 */
class VaultAnswersFuzzTest {
  private static final String CANARY = "c4n#ry-v4ult";
  /** Per input: three requests at most (lookup, read, metadata), no retries, each bounded by the timeouts. */
  private static final long MAX_MILLIS = 15_000;
  private static final String LOOKUP = "{\"data\":{\"ttl\":0,\"renewable\":false}}";
  private static final String MOUNT_V2 = "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"options\":{\"version\":\"2\"}}}";
  private static final String MOUNT_V1 = "{\"data\":{\"path\":\"secret/\",\"type\":\"kv\",\"options\":{\"version\":\"1\"}}}";
  private static final String READ_V2 = "{\"data\":{\"data\":{\"API_KEY\":\"v\"},\"metadata\":{\"version\":3,"
      + "\"created_time\":\"2026-01-01T00:00:00Z\"}}}";
  private static final String READ_V1 = "{\"data\":{\"API_KEY\":\"v\"},\"lease_duration\":60}";
  private static final String METADATA = "{\"data\":{\"current_version\":3,\"versions\":{\"3\":{\"created_time\":"
      + "\"2026-01-01T00:00:00Z\",\"deletion_time\":\"\",\"destroyed\":false}}}}";
  private static final int[] STATUSES = {200, 200, 200, 200, 204, 301, 400, 403, 404, 429, 500, 503};

  private final RecordingProxy server;
  private final Path home;
  /** What the server gives the fuzzed endpoint in the current execution. */
  private volatile RecordingProxy.Answer fuzzed;
  private volatile int target;
  private volatile boolean kv1;

  VaultAnswersFuzzTest() throws Exception {
    server = new RecordingProxy(null);
    home = Files.createTempDirectory("vault-fuzz-home");
    server.answer(l -> l.equals("GET /v1/auth/token/lookup-self"), b -> pick(2, LOOKUP));
    server.answer(l -> l.startsWith("GET /v1/sys/internal/ui/mounts/"), b -> pick(1, kv1 ? MOUNT_V1 : MOUNT_V2));
    server.answer(l -> l.startsWith("GET /v1/secret/data/") || l.equals("GET /v1/secret/app"),
        b -> pick(0, kv1 ? READ_V1 : READ_V2));
    server.answer(l -> l.startsWith("GET /v1/secret/metadata/"), b -> pick(3, METADATA));
    // the first backend pays for class loading and the HTTP client's start: keep that out of the bound
    fuzzed = new RecordingProxy.Answer(200, "application/json", READ_V2);
    try (SilentCloseable local = loopbackOnly(); VaultSecretBackend warm = backend()) {
      warm.fetch("API_KEY", VersionSelector.latest());
    }
  }

  /** Jazzer's SSRF detector flags every connection while fuzzing; this test's only peer is its own server. */
  private static SilentCloseable loopbackOnly() {
    return BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost")
        || host.equals("127.0.0.1"));
  }

  private VaultSecretBackend backend() {
    Map<String, String> settings = new HashMap<>(Map.of("VAULT_ADDR", server.address(), "VAULT_TOKEN",
        "s.fuzz-token", "VAULT_PATH", "secret/app", "SECRETS_VAULT_RETRIES", "0",
        "SECRETS_VAULT_OPEN_TIMEOUT", "3s", "SECRETS_VAULT_READ_TIMEOUT", "3s"));
    ManualClock clock = new ManualClock();
    return (VaultSecretBackend) new VaultBackendProvider(() -> home)
        .create(TestBackendContext.of(VaultBackendProvider.ID, settings).withScheduler(new ManualScheduler(clock))
            .withClock(clock));
  }

  private RecordingProxy.Answer pick(int endpoint, String wellFormed) {
    return endpoint == target ? fuzzed : new RecordingProxy.Answer(200, "application/json", wellFormed);
  }

  @FuzzTest(maxDuration = "10m")
  void answersBecomeSecretsOrAReportWithoutTheirContent(FuzzedDataProvider data) {
    target = data.consumeInt(0, 3);
    kv1 = data.consumeBoolean();
    int status = data.pickValue(STATUSES);
    String body = data.consumeRemainingAsString().replace("#", CANARY);
    fuzzed = new RecordingProxy.Answer(status, "application/json", body);
    server.clear();

    long start = System.nanoTime();
    try (SilentCloseable local = loopbackOnly(); VaultSecretBackend backend = backend()) {
      attempt(() -> backend.fetch("API_KEY", VersionSelector.latest()));
      attempt(() -> backend.versions("API_KEY"));
    } finally {
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MAX_MILLIS);
    }
  }

  private static void attempt(Runnable call) {
    try {
      call.run();
    } catch (SecretsException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(CANARY);
        assertThat(t.toString()).doesNotContain(CANARY);
      }
    }
  }
}
