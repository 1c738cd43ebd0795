package org.nexusreussite.secrets.aws;

import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.buildsupport.server.TestTools;

/**
 * How AWS failures reach the user, against a local HTTP server answering with AWS's JSON error shapes
 * (moto does not throttle, deny or fail decryption). The SDK client, its retries and protocol parsing are
 * the real ones.
 */
class AwsErrorMappingTest {
  private static final String SECRET_VALUE =
      "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf\",\"Name\":\"app\","
          + "\"VersionId\":\"01234567-89ab-cdef-0123-456789abcdef\",\"SecretString\":\"{\\\"A\\\":\\\"1\\\"}\","
          + "\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.7E9}";
  private final FakeAwsServer aws = new FakeAwsServer();
  private SecretBackend backend;

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    aws.close();
  }

  private SecretBackend backend(String endpoint, String... settings) {
    Map<String, String> map = new java.util.HashMap<>(Map.of("AWS_ENDPOINT_URL", endpoint, "AWS_REGION",
        "us-east-1", "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
        "SECRETS_AWS_WARMUP", "false", "SECRETS_AWS_TIMEOUT", "5s"));
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    backend = new AwsBackendProvider().create(TestBackendContext.of(AwsSecretBackend.ID, SecretsConfig.of(map)));
    return backend;
  }

  @Test
  void accessDeniedNamesTheSecretAndTheMissingPermission() {
    aws.error("GetSecretValue", 400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/app is not "
        + "authorized to perform: secretsmanager:GetSecretValue on resource: app");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("secret 'app'")
        .hasMessageContaining("grant secretsmanager:GetSecretValue")
        .hasMessageContaining("AccessDeniedException")
        .hasMessageContaining("user/app")
        .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
    assertThat(aws.operations()).as("access denied is not retried").containsExactly("GetSecretValue");
  }

  @Test
  void rejectedCredentialsAreAnAuthenticationError() {
    aws.error("GetSecretValue", 400, "UnrecognizedClientException", "The security token included in the "
        + "request is invalid.");
    backend(aws.endpoint(), "SECRETS_AWS_PREFIX", "app/");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("secret 'app/A'")
        .hasMessageContaining("AWS_ACCESS_KEY_ID")
        .hasMessageContaining("secretsmanager:GetSecretValue");
  }

  @Test
  void throttlingIsRetriedWithBackoffThenUnavailable() {
    aws.error("GetSecretValue", 400, "ThrottlingException", "Rate exceeded");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app", "SECRETS_AWS_MAX_ATTEMPTS", "3");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("throttled")
        .hasMessageContaining("secret 'app'")
        .hasMessageContaining("after 3 attempts");
    assertThat(aws.operations()).containsExactly("GetSecretValue", "GetSecretValue", "GetSecretValue");
  }

  @Test
  void aServerErrorIsRetriedThenUnavailable() {
    aws.error("GetSecretValue", 500, "InternalServiceError", "try again");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app", "SECRETS_AWS_MAX_ATTEMPTS", "2");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("InternalServiceError")
        .hasMessageContaining("after 2 attempts");
    assertThat(aws.operations()).hasSize(2);
  }

  @Test
  void aDecryptionFailureNamesTheKmsProblem() {
    aws.error("GetSecretValue", 400, "DecryptionFailure", "Secrets Manager can't decrypt the protected "
        + "secret text using the provided KMS key.");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("could not decrypt secret 'app'")
        .hasMessageContaining("kms:Decrypt")
        .hasMessageContaining("KMS key exists and is enabled");
  }

  @Test
  void aDeniedBatchCallFallsBackToOneReadPerSecret() {
    aws.error("BatchGetSecretValue", 400, "AccessDeniedException", "not authorized to perform: "
        + "secretsmanager:BatchGetSecretValue");
    aws.ok("GetSecretValue", SECRET_VALUE);
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app,other");

    Map<String, Secret> found = backend.fetchAll(List.of("A"));
    backend.fetchAll(List.of("A"));

    assertThat(found.get("A").reveal()).isEqualTo("1");
    assertThat(aws.operations()).as("the batch call is not tried again once denied")
        .containsExactly("BatchGetSecretValue", "GetSecretValue", "GetSecretValue", "GetSecretValue",
            "GetSecretValue");
  }

  @Test
  void aDeniedSecretInsideABatchIsAnAuthenticationErrorNamingIt() {
    aws.ok("BatchGetSecretValue", "{\"SecretValues\":[],\"Errors\":[{\"SecretId\":\"other\","
        + "\"ErrorCode\":\"AccessDeniedException\",\"Message\":\"not authorized\"}]}");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app,other");

    assertThatThrownBy(() -> backend.fetchAll(List.of("A")))
        .isInstanceOf(BackendAuthenticationException.class)
        .hasMessageContaining("secret 'other'")
        .hasMessageContaining("secretsmanager:GetSecretValue");
  }

  @Test
  void anUnreachableEndpointIsUnavailableNamingIt() {
    String closed = "http://127.0.0.1:" + TestTools.freePort();
    backend(closed, "SECRETS_AWS_SECRET_ID", "app", "SECRETS_AWS_MAX_ATTEMPTS", "1");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining(closed)
        .hasMessageContaining("secret 'app'");
    assertThat(backend.health().status()).isEqualTo(BackendHealth.Status.DOWN);
  }

  @Test
  void healthReportsRejectedCredentialsAsDown() {
    aws.error("DescribeSecret", 400, "ExpiredTokenException", "The security token included in the request "
        + "is expired");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app");

    BackendHealth health = backend.health();

    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.detail()).contains("ExpiredTokenException");
  }

  @Test
  void aMalformedAnswerDoesNotQuoteItsContent() {
    String canary = "canary-3f9d-secret";
    aws.ok("GetSecretValue", "{\"Name\":\"app\",\"SecretString\":\"" + canary + "\", oops " + canary);
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app");

    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.latest()))
        .isInstanceOf(org.nexusreussite.secrets.BackendException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(canary))
        .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(canary));
  }

  @Test
  void aRefusedWriteQuotingTheValueSentNeverRepeatsIt() {
    String newValue = "new-value-never-in-messages-51b0";
    aws.ok("GetSecretValue", "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:123456789012:secret:app\","
        + "\"Name\":\"app\",\"VersionId\":\"v1\",\"SecretString\":\"{\\\"A\\\":\\\"old\\\"}\","
        + "\"VersionStages\":[\"AWSCURRENT\"]}");
    // a validation error (or a proxy) quoting the request, as AWS does for some parameters
    aws.error("PutSecretValue", 400, "ValidationException", "Value '{\\\"A\\\":\\\"" + newValue
        + "\\\"}' at 'secretString' failed to satisfy constraint");
    backend(aws.endpoint(), "SECRETS_AWS_SECRET_ID", "app");

    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> backend.write("A",
        org.nexusreussite.secrets.SecretValue.of(newValue), org.nexusreussite.secrets.WriteOptions.defaults()));
    assertThat(thrown).isInstanceOf(org.nexusreussite.secrets.BackendException.class)
        .hasMessageContaining("PutSecretValue").hasMessageContaining("ValidationException");
    StringBuilder chain = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      chain.append(t).append('\n');
    }
    assertThat(chain.toString()).doesNotContain(newValue);
    assertThat(aws.operations()).contains("PutSecretValue");
  }

  @Test
  void aSecretCreatedByAnotherWriterMeanwhileIsAConflictNotAnOutage() {
    aws.error("GetSecretValue", 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    aws.error("CreateSecret", 400, "ResourceExistsException", "The operation failed because the secret app/NEWKEY "
        + "already exists.");
    backend(aws.endpoint(), "SECRETS_AWS_PREFIX", "app/");

    assertThatThrownBy(() -> backend.write("NEWKEY", org.nexusreussite.secrets.SecretValue.of("new-value-1"),
        org.nexusreussite.secrets.WriteOptions.builder().createIfMissing(true).build()))
        .isInstanceOf(org.nexusreussite.secrets.WriteConflictException.class)
        .hasMessageContaining("NEWKEY").hasMessageContaining("concurrent writer");
    assertThat(aws.operations()).containsSubsequence("CreateSecret").doesNotContain("PutSecretValue");
  }
}
