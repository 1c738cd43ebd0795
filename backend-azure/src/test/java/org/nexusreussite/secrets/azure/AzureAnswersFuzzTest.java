package org.nexusreussite.secrets.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;

/**
 * Coverage-guided fuzzing of how the Azure backend turns Key Vault answers into secrets (issue 12,
 * standing defences): the real Azure client over HTTPS against the WireMock stand-in, which answers the
 * fuzzed status and body for one endpoint (get secret, list versions or list secrets) after the real
 * challenge authentication. The normal test run replays the seed corpus in
 * {@code src/test/resources/.../AzureAnswersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} (see
 * {@code scripts/fuzz.sh}) mutates it. Public entry points only.
 *
 * <p>Invariants: {@code fetch}, {@code versions} and {@code keys} return or throw a
 * {@link SecretsException} (no other exception or error); no message or cause in the chain contains the
 * canary that every {@code #} of the body becomes; one input takes well under the time limit.
 */
class AzureAnswersFuzzTest {
  private static final String CANARY = "c4n#ry-4zure";
  private static final java.time.Duration CALL_TIMEOUT = java.time.Duration.ofSeconds(20);
  private static final long MAX_MILLIS = 3 * CALL_TIMEOUT.toMillis() + 5_000;
  private static final int[] STATUSES = {200, 200, 200, 200, 400, 403, 404, 409, 500};
  private static final String[] PATHS = {"/secrets/[^/]+/?", "/secrets/[^/]+/versions", "/secrets/?"};
  private static KeyVaultStandIn vault;

  private final AzureSecretBackend backend;

  AzureAnswersFuzzTest() throws Exception {
    synchronized (AzureAnswersFuzzTest.class) {
      if (vault == null) {
        vault = KeyVaultStandIn.start();
      }
    }
    // no retries and one timeout per call: three calls per input bound its time by design
    backend = AzureSecretBackend.create(vault.options().maxRetries(0).timeout(CALL_TIMEOUT).build());
    // the first request pays for TLS, the challenge and class loading: keep it out of the per-input bound
    try (SilentCloseable local = loopbackOnly()) {
      backend.keys();
    }
  }

  /** Jazzer's SSRF detector flags every connection while fuzzing; this test's only peer is the stand-in. */
  private static SilentCloseable loopbackOnly() {
    return BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost")
        || host.equals("127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    if (vault != null) {
      vault.close();
      vault = null;
    }
  }

  @FuzzTest(maxDuration = "10m")
  void answersBecomeSecretsOrAReportWithoutTheirContent(FuzzedDataProvider data) {
    int target = data.consumeInt(0, PATHS.length - 1);
    int status = data.pickValue(STATUSES);
    String body = data.consumeRemainingAsString().replace("#", CANARY);
    // the previous input's answer goes (removed as AzureErrorsIT does: by priority, not by the returned mapping)
    vault.server.listAllStubMappings().getMappings().stream()
        .filter(m -> m.getPriority() != null && m.getPriority() == 1)
        .forEach(vault.server::removeStub);
    // authenticated requests only, ahead of the fake store, so the challenge still works
    vault.server.stubFor(get(urlPathMatching(PATHS[target])).atPriority(1)
        .withHeader("Authorization", matching("Bearer .*"))
        .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    vault.server.resetRequests(); // WireMock keeps a request journal: bounded memory over millions of runs

    long start = System.nanoTime();
    try (SilentCloseable local = loopbackOnly()) {
      attempt(() -> backend.fetch("API_KEY", VersionSelector.latest()));
      attempt(() -> backend.versions("API_KEY"));
      attempt(backend::keys);
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
