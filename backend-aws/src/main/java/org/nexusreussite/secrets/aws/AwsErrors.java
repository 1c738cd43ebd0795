package org.nexusreussite.secrets.aws;

import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.BackendUnavailableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns AWS SDK failures into the SDK's exceptions with a next step. AWS error messages (which name the
 * principal and the resource, never a secret value) are kept, shortened; the cause is a scrubbed copy of the
 * SDK exception's chain (types, status, error code, stack traces; no messages), since unmarshallers quote the
 * answer they choked on.
 */
final class AwsErrors {
  private static final Set<String> DENIED = Set.of("AccessDeniedException", "AccessDenied", "NotAuthorized",
      "UnauthorizedOperation", "AuthorizationError");
  private static final Set<String> BAD_CREDENTIALS = Set.of("UnrecognizedClientException",
      "InvalidClientTokenId", "InvalidSignatureException", "SignatureDoesNotMatch", "ExpiredTokenException",
      "ExpiredToken", "IncompleteSignature", "MissingAuthenticationToken", "InvalidAccessKeyId",
      "RequestExpired");
  private static final Set<String> THROTTLED = Set.of("ThrottlingException", "Throttling",
      "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException",
      "RequestThrottled", "RequestThrottledException", "SlowDown", "LimitExceededException");
  private static final Set<String> BAD_REQUEST = Set.of("InvalidParameterException", "InvalidRequestException",
      "ValidationException");
  private static final int MAX_MESSAGE = 300;

  private final String backendId;
  private final String where;
  private final int maxAttempts;

  /**
   * @param where the endpoint and region, for "could not reach" messages
   * @param maxAttempts the attempts the SDK makes, for "throttled after" messages
   */
  AwsErrors(String backendId, String where, int maxAttempts) {
    this.backendId = backendId;
    this.where = where;
    this.maxAttempts = maxAttempts;
  }

  /** Whether the failure is the SDK's "no such secret / version". */
  static boolean isNotFound(SdkException e) {
    return e instanceof AwsServiceException ase && "ResourceNotFoundException".equals(code(ase));
  }

  /** The AWS error code, or an empty string. */
  static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
        : e.awsErrorDetails().errorCode();
  }

  /**
   * The exception for a failed call.
   *
   * @param operation the API operation, e.g. {@code GetSecretValue}
   * @param secretId the secret concerned, or a description such as {@code secrets named 'app/*'}
   * @param permission the IAM action the call needs, e.g. {@code secretsmanager:GetSecretValue}
   */
  BackendException map(SdkException e, String operation, String secretId, String permission) {
    BackendException bounded = bounded(e, operation, secretId);
    if (bounded != null) {
      return bounded;
    }
    if (e instanceof AwsServiceException ase) {
      return service(ase, operation, secretId, permission);
    }
    String detail = parseFailure(e) ? "its answer could not be parsed (" + e.getClass().getSimpleName() + ")"
        : e.getMessage() == null || CARRIES_VALUE.contains(operation) ? e.getClass().getSimpleName()
        : shorten(e.getMessage());
    if (e instanceof SdkClientException && detail.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
      return new BackendAuthenticationException(backendId, "No AWS credentials found to call " + operation
          + " on " + secretId + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run "
          + "with an IAM role (ECS task role, EC2 instance profile, EKS pod identity); the caller needs "
          + permission, StoreCauses.scrub(e));
    }
    return new BackendUnavailableException(backendId, "Could not reach AWS Secrets Manager (" + where
        + ") to call " + operation + " on " + secretId + " after " + attempts() + ": " + detail
        + ". Check network access to the endpoint, AWS_REGION and AWS_ENDPOINT_URL_SECRETS_MANAGER", StoreCauses.scrub(e));
  }

  /** The error for a passed deadline or an oversized answer, or null when {@code e} is neither. */
  private @Nullable BackendException bounded(SdkException e, String operation, String secretId) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BoundedHttpClient.AnswerTooLarge a) {
        return new BackendUnavailableException(backendId, "AWS Secrets Manager (" + where + ") answered "
            + operation + " on " + secretId + " with more than " + a.cap + " bytes ("
            + AwsBackendProvider.MAX_RESPONSE_BYTES + "); the rest was not read. Raise "
            + AwsBackendProvider.MAX_RESPONSE_BYTES + " if such an answer is expected, or check that "
            + "AWS_ENDPOINT_URL_SECRETS_MANAGER points at Secrets Manager", StoreCauses.scrub(e));
      }
      if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
          || t instanceof BoundedHttpClient.AttemptDeadlineExceeded) {
        String which = t instanceof ApiCallTimeoutException
            ? AwsBackendProvider.CALL_TIMEOUT + ", the total of all attempts"
            : AwsBackendProvider.TIMEOUT + ", each attempt's total for connect, headers and body";
        return new BackendUnavailableException(backendId, "AWS Secrets Manager (" + where + ") did not answer "
            + operation + " on " + secretId + " completely in time (" + which + "). Check network access to the "
            + "endpoint, or raise " + AwsBackendProvider.TIMEOUT + " / " + AwsBackendProvider.CALL_TIMEOUT,
            StoreCauses.scrub(e));
      }
    }
    return null;
  }

  /**
   * Operations whose request carries a secret value: an answer to them may quote the request (a validation
   * error naming the value it refused, a proxy echoing the body), so their messages are never passed on.
   */
  private static final Set<String> CARRIES_VALUE = Set.of("PutSecretValue", "CreateSecret", "UpdateSecret");

  private BackendException service(AwsServiceException e, String operation, String secretId, String permission) {
    String code = code(e);
    String aws = CARRIES_VALUE.contains(operation) ? "" : awsSaid(e);
    if (DENIED.contains(code)) {
      return new BackendAuthenticationException(backendId, "AWS Secrets Manager denied " + operation + " on "
          + secretId + " (" + code + "): grant " + permission + " on this secret to the caller, and kms:Decrypt "
          + "on its KMS key if it uses a customer-managed key." + aws, StoreCauses.scrub(e));
    }
    if (BAD_CREDENTIALS.contains(code)) {
      return new BackendAuthenticationException(backendId, "AWS rejected the credentials used to call "
          + operation + " on " + secretId + " (" + code + "): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
          + "AWS_SESSION_TOKEN or AWS_PROFILE, that a session token has not expired, and the clock; the caller "
          + "needs " + permission + "." + aws, StoreCauses.scrub(e));
    }
    if ("DecryptionFailure".equals(code) || "DecryptionFailureException".equals(code)) {
      return new BackendAuthenticationException(backendId, "AWS Secrets Manager could not decrypt " + secretId
          + " with its KMS key (" + code + "): check that the KMS key exists and is enabled, and that the caller "
          + "has kms:Decrypt on it (the key policy must allow it too)." + aws, StoreCauses.scrub(e));
    }
    if (THROTTLED.contains(code) || e.isThrottlingException() || e.statusCode() == 429) {
      return new BackendUnavailableException(backendId, "AWS Secrets Manager throttled " + operation + " on "
          + secretId + " (" + (code.isEmpty() ? "HTTP " + e.statusCode() : code) + ") after " + attempts()
          + " with backoff: lower the request rate (raise SECRETS_CACHE_REFRESH) or ask for a higher "
          + "quota; cached values are served meanwhile." + aws, StoreCauses.scrub(e));
    }
    if (e.statusCode() == 401 || e.statusCode() == 403) {
      return new BackendAuthenticationException(backendId, "AWS Secrets Manager refused " + operation + " on "
          + secretId + " (HTTP " + e.statusCode() + (code.isEmpty() ? "" : ", " + code) + "): check the "
          + "credentials and that the caller has " + permission + "." + aws, StoreCauses.scrub(e));
    }
    if (BAD_REQUEST.contains(code)) {
      return new BackendConfigurationException(backendId, "AWS Secrets Manager rejected " + operation + " on "
          + secretId + " (" + code + "): check SECRETS_AWS_SECRET_ID / SECRETS_AWS_PREFIX and the secret's "
          + "state." + aws, StoreCauses.scrub(e));
    }
    return new BackendUnavailableException(backendId, "AWS Secrets Manager (" + where + ") failed " + operation
        + " on " + secretId + " (" + (code.isEmpty() ? "HTTP " + e.statusCode() : code) + ") after "
        + attempts() + "; retry later and check the AWS Health Dashboard." + aws, StoreCauses.scrub(e));
  }

  private String attempts() {
    return maxAttempts == 1 ? "1 attempt" : maxAttempts + " attempts";
  }

  private static String awsSaid(AwsServiceException e) {
    String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return m == null || m.isBlank() ? "" : " AWS said: " + shorten(m);
  }

  /**
   * Whether a parser failed on the answer: a parser's message may quote the text it choked on, which can
   * be part of a secret value, so it is never passed on.
   */
  private static boolean parseFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String name = t.getClass().getName().toLowerCase(Locale.ROOT);
      if (name.contains("json") || name.contains("unmarshall") || name.contains("parse")) {
        return true;
      }
      // the SDK reports a malformed field (a CreatedDate that is no date) as a plain SdkClientException
      // whose message quotes the field: "Unable to unmarshall response (Unable to parse date : <text>)"
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("unmarshall") || message.contains("parse")) {
        return true;
      }
    }
    return false;
  }

  private static String shorten(String s) {
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= MAX_MESSAGE ? flat : flat.substring(0, MAX_MESSAGE) + "...";
  }
}
