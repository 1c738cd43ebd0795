package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Answer;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Drip;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Endless;
import org.nexusreussite.secrets.buildsupport.fault.MisbehavingHttpServer.Stall;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * Issue 12 findings 1, 6, 7 and 8 for AWS, with the real SDK client against a server that misbehaves: a drip or
 * a stall cannot hold a call past {@code SECRETS_AWS_CALL_TIMEOUT}, a huge answer is refused at the cap, store
 * text in a malformed answer reaches no message nor cause, and user info in the endpoint is never shown.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AwsDeadlineAndCapTest {
  private static final String CANARY = "cnry-51c2";
  private static final String GET = "GetSecretValue";
  private static final String VALUE = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf\","
      + "\"Name\":\"app\",\"VersionId\":\"01234567-89ab-cdef-0123-456789abcdef\",\"SecretString\":"
      + "\"{\\\"A\\\":\\\"1\\\"}\",\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.7E9}";

  private final MisbehavingHttpServer server;
  private SecretBackend backend;

  AwsDeadlineAndCapTest() throws Exception {
    server = MisbehavingHttpServer.http();
  }

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    server.close();
  }

  private SecretBackend backend(String endpoint, String... settings) {
    Map<String, String> map = new HashMap<>(Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_REGION",
        "us-east-1", "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
        "SECRETS_AWS_WARMUP", "false", "SECRETS_AWS_TIMEOUT", "1s", "SECRETS_AWS_SECRET_ID", "app"));
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    backend = new AwsBackendProvider().create(TestBackendContext.of(AwsSecretBackend.ID, SecretsConfig.of(map)));
    return backend;
  }

  private void answer(String operation, MisbehavingHttpServer.Behaviour behaviour) {
    server.onHead(h -> h.contains("secretsmanager." + operation), behaviour);
  }

  @Test
  void aDrippedAnswerFailsWithinTheCallDeadline() {
    answer(GET, new Drip(200, VALUE, Duration.ofMillis(300)));
    backend(server.address(), "SECRETS_AWS_CALL_TIMEOUT", "2s");

    long start = System.nanoTime();
    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("completely in time")
        .hasMessageContaining("SECRETS_AWS_CALL_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3500));
  }

  @Test
  void anAnswerThatStallsAfterTheHeadersFailsAtTheAttemptDeadline() {
    answer(GET, new Stall(200, "{\"Name\":", 400));
    backend(server.address(), "SECRETS_AWS_MAX_ATTEMPTS", "1");

    long start = System.nanoTime();
    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("SECRETS_AWS_TIMEOUT");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void aHugeAnswerIsRefusedAtTheCap() {
    long hundredMb = 100L * 1024 * 1024;
    answer(GET, new Endless(200, "{\"SecretString\":\"", hundredMb, false));
    backend(server.address(), "SECRETS_AWS_MAX_RESPONSE_BYTES", "65536", "SECRETS_AWS_TIMEOUT", "20s");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("more than 65536 bytes")
        .hasMessageContaining("SECRETS_AWS_MAX_RESPONSE_BYTES")
        .hasMessageContaining("'app'");
    assertThat(server.bodyBytesWritten()).isLessThan(hundredMb / 4);
  }

  @Test
  void aDeclaredLengthAboveTheCapIsRefused() {
    answer(GET, new Endless(200, "{\"SecretString\":\"", 10L * 1024 * 1024, true));
    backend(server.address(), "SECRETS_AWS_MAX_RESPONSE_BYTES", "65536");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("more than 65536 bytes");
  }

  @Test
  void anAnswerWithinTheCapIsRead() {
    answer(GET, new Answer(200, "application/x-amz-json-1.1", VALUE));
    backend(server.address());

    assertThat(backend.fetch("A", VersionSelector.latest()))
        .hasValueSatisfying(s -> assertThat(s.value().reveal()).isEqualTo("1"));
  }

  @Test
  void aMalformedCreatedDateReachesNoMessageNorCause() {
    answer(GET, new Answer(200, "application/x-amz-json-1.1", VALUE.replace("1.7E9", "\"cnry-51c2\"")));
    backend(server.address());

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendException.class)
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
  }

  @Test
  void aMalformedAnswerReachesNoCause() {
    answer(GET, new Answer(200, "application/x-amz-json-1.1", "{\"Name\":\"app\",\"SecretString\":\"" + CANARY
        + "\", oops " + CANARY));
    backend(server.address());

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendException.class)
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
  }

  @Test
  void userInfoInTheEndpointIsNeverShown() {
    answer(GET, new Answer(500, "application/x-amz-json-1.1", "{\"__type\":\"InternalFailure\"}"));
    String endpoint = "http://user:" + CANARY + "@127.0.0.1:" + server.port();
    backend(endpoint, "SECRETS_AWS_MAX_ATTEMPTS", "1");

    assertThat(backend.toString()).doesNotContain(CANARY).contains("***@127.0.0.1");
    assertThat(backend.health().toString()).doesNotContain(CANARY);
    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .satisfies(e -> assertThat(chain(e)).doesNotContain(CANARY));
  }

  static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n').append(t.getMessage()).append('\n');
      for (Throwable s : t.getSuppressed()) {
        sb.append(chain(s));
      }
    }
    return sb.toString();
  }
}
