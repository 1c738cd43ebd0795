package org.nexusreussite.secrets.aws;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.spi.support.Addresses;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * The AWS Secrets Manager provider: id {@code aws}, ordinal {@value #ORDINAL}. Active when
 * {@code SECRETS_AWS_SECRET_ID} (JSON layout) or {@code SECRETS_AWS_PREFIX} (one secret per key) is set.
 *
 * <p>Region: {@code AWS_REGION} from the SDK's settings, else the AWS SDK's default region chain
 * (profile file, instance metadata). Credentials: {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}
 * (/ {@code AWS_SESSION_TOKEN}) from the settings when both are set, else the SDK's default credentials
 * chain. Endpoint: {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, else {@code AWS_ENDPOINT_URL}, else the
 * regional AWS endpoint. HTTP goes through {@code java.net.http} with a total deadline per attempt
 * ({@value #TIMEOUT}) and per call ({@value #CALL_TIMEOUT}) and a size cap ({@value #MAX_RESPONSE_BYTES}), with
 * the SDK's standard retry mode. Thread-safe.
 */
public final class AwsBackendProvider implements SecretBackendProvider {
  /** Default precedence, like the other remote stores. */
  public static final int ORDINAL = 300;
  /** JSON layout: comma list of secret ids whose JSON fields are the keys. */
  public static final String SECRET_ID = "SECRETS_AWS_SECRET_ID";
  /** Per-key layout: the secret name prefix. */
  public static final String PREFIX = "SECRETS_AWS_PREFIX";
  /** Attempts per call including the first (default 3, the SDK's standard mode). */
  public static final String MAX_ATTEMPTS = "SECRETS_AWS_MAX_ATTEMPTS";
  /** Total deadline of one HTTP attempt: connect, headers and the whole body (default 10s). */
  public static final String TIMEOUT = "SECRETS_AWS_TIMEOUT";
  /**
   * Total deadline of one call, all attempts and back-off included (default: {@value #TIMEOUT} times
   * {@value #MAX_ATTEMPTS}, plus 5s for back-off); at least {@value #TIMEOUT}.
   */
  public static final String CALL_TIMEOUT = "SECRETS_AWS_CALL_TIMEOUT";
  /** Largest answer accepted, in bytes (default 4 MiB); a larger one is refused without reading it all. */
  public static final String MAX_RESPONSE_BYTES = "SECRETS_AWS_MAX_RESPONSE_BYTES";
  /** Default of {@link #MAX_RESPONSE_BYTES}: far above Secrets Manager's 64 KB value limit plus batching. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Whether configured secrets are read once at start (default true). */
  public static final String WARMUP = "SECRETS_AWS_WARMUP";

  private final List<ExecutionInterceptor> interceptors;

  /** For ServiceLoader. */
  public AwsBackendProvider() {
    this(List.of());
  }

  /** With SDK interceptors added to the client it builds (request metrics, tests counting calls). */
  public AwsBackendProvider(List<ExecutionInterceptor> interceptors) {
    this.interceptors = List.copyOf(interceptors);
  }

  @Override
  public String id() {
    return AwsSecretBackend.ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    SecretsConfig config = context.config();
    List<String> ids = config.list(SECRET_ID);
    Optional<String> prefix = config.get(PREFIX);
    if (ids.isEmpty() && prefix.isEmpty()) {
      return Activation.inactive(SECRET_ID + " and " + PREFIX + " are not set");
    }
    StringBuilder reason = new StringBuilder();
    if (!ids.isEmpty()) {
      reason.append(SECRET_ID).append('=').append(String.join(",", ids));
    }
    prefix.ifPresent(p -> reason.append(reason.length() == 0 ? "" : ", ").append(PREFIX).append('=').append(p));
    return Activation.active(reason.toString());
  }

  /**
   * Builds the client and the backend, then warms up (unless {@code SECRETS_AWS_WARMUP=false}).
   *
   * @throws BackendConfigurationException for a malformed endpoint, an {@code http://} endpoint in a
   *     strict profile, half-set static credentials, bad retry settings, or no region anywhere
   */
  @Override
  public SecretBackend create(BackendContext context) {
    SecretsConfig config = context.config();
    List<String> ids = config.list(SECRET_ID);
    Optional<String> prefix = config.get(PREFIX);
    if (ids.isEmpty() && prefix.isEmpty()) {
      throw new BackendConfigurationException(id(), "Set " + SECRET_ID + " or " + PREFIX
          + " to use AWS Secrets Manager");
    }
    int maxAttempts = config.integer(MAX_ATTEMPTS, 3);
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw BackendConfigurationException.setting(MAX_ATTEMPTS, "expected an integer from 1 to 20");
    }
    Duration timeout = config.duration(TIMEOUT, Duration.ofSeconds(10));
    if (timeout.isZero()) {
      throw BackendConfigurationException.setting(TIMEOUT, "expected a positive duration");
    }
    Duration callTimeout = config.duration(CALL_TIMEOUT, timeout.multipliedBy(maxAttempts).plusSeconds(5));
    if (callTimeout.compareTo(timeout) < 0) {
      throw BackendConfigurationException.setting(CALL_TIMEOUT, "expected a duration of at least " + TIMEOUT
          + " (" + timeout.toMillis() + " ms)");
    }
    int maxBytes = config.integer(MAX_RESPONSE_BYTES, DEFAULT_MAX_RESPONSE_BYTES);
    if (maxBytes < 1024) {
      throw BackendConfigurationException.setting(MAX_RESPONSE_BYTES, "expected a number of bytes of at least "
          + "1024, such as " + DEFAULT_MAX_RESPONSE_BYTES);
    }
    boolean warmUp = config.bool(WARMUP, true);

    SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
        .httpClient(new BoundedHttpClient(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout
            : Duration.ofSeconds(5), timeout, maxBytes))
        .overrideConfiguration(override(maxAttempts, timeout, callTimeout));
    Optional<Endpoint> endpoint = endpoint(context);
    // user info is never sent on: AWS signs requests, and it would only end up in the SDK's own messages
    endpoint.ifPresent(e -> builder.endpointOverride(URI.create(Addresses.withoutUserInfo(e.uri().toString()))));
    Region region = region(config);
    builder.region(region);
    builder.credentialsProvider(credentials(config));

    SecretsManagerClient client;
    try {
      client = builder.build();
    } catch (SdkClientException e) {
      throw new BackendConfigurationException(id(), "Could not build the AWS Secrets Manager client: "
          + e.getMessage() + ". Check AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL_SECRETS_MANAGER", e);
    }
    String where = "region " + region.id() + endpoint.map(e -> ", endpoint " + Addresses.redact(e.uri().toString()))
        .orElse("");
    AwsSecretBackend.Builder backend = AwsSecretBackend.builder().ownedClient(client).secretIds(ids)
        .clock(context.clock()).describedAs(where).maxAttempts(maxAttempts);
    prefix.ifPresent(backend::prefix);
    AwsSecretBackend built = backend.build();
    if (warmUp) {
      built.warmUp(config.list("SECRETS_REQUIRED"));
    }
    return built;
  }

  private ClientOverrideConfiguration override(int maxAttempts, Duration timeout, Duration callTimeout) {
    ClientOverrideConfiguration.Builder b = ClientOverrideConfiguration.builder()
        // BoundedHttpClient holds each attempt's deadline and reports it as such (not retried); the SDK's own
        // attempt timeout is a backstop a little later, since its interrupt would be retried as a timeout
        .apiCallAttemptTimeout(timeout.plusMillis(500))
        .apiCallTimeout(callTimeout)
        // set here rather than left to AWS_RETRY_MODE: standard mode is exponential backoff with jitter,
        // a longer base delay for throttling, and a retry quota so an outage does not multiply traffic
        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build());
    interceptors.forEach(b::addExecutionInterceptor);
    return b.build();
  }

  private record Endpoint(String setting, URI uri) {}

  private Optional<Endpoint> endpoint(BackendContext context) {
    SecretsConfig config = context.config();
    for (String setting : List.of("AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL")) {
      Optional<String> value = config.get(setting);
      if (value.isPresent()) {
        URI uri;
        try {
          uri = new URI(value.get());
        } catch (URISyntaxException e) {
          throw BackendConfigurationException.setting(setting, "expected a URL such as https://secretsmanager."
              + "eu-west-1.amazonaws.com");
        }
        String scheme = uri.getScheme();
        if (uri.getHost() == null || scheme == null
            || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
          throw BackendConfigurationException.setting(setting, "expected an http:// or https:// URL with a host");
        }
        context.requireHttpsInStrictProfile(setting, value.get(), "AWS Secrets Manager");
        return Optional.of(new Endpoint(setting, uri));
      }
    }
    return Optional.empty();
  }

  private Region region(SecretsConfig config) {
    Optional<String> configured = config.get("AWS_REGION");
    if (configured.isPresent()) {
      return Region.of(configured.get());
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (SdkClientException e) {
      throw new BackendConfigurationException(id(), "No AWS region found for AWS Secrets Manager: set AWS_REGION "
          + "(e.g. eu-west-1), or a region in the AWS profile (AWS_PROFILE, ~/.aws/config)", e);
    }
  }

  private AwsCredentialsProvider credentials(SecretsConfig config) {
    Optional<String> keyId = config.get("AWS_ACCESS_KEY_ID");
    Optional<String> secret = config.get("AWS_SECRET_ACCESS_KEY");
    if (keyId.isPresent() != secret.isPresent()) {
      String missing = keyId.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
      String present = keyId.isPresent() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
      throw new BackendConfigurationException(id(), present + " is set but " + missing + " is not: set both, "
          + "or neither to use the AWS default credentials chain (profile, IAM role)");
    }
    if (keyId.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    Optional<String> token = config.get("AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(token.isPresent()
        ? AwsSessionCredentials.create(keyId.get(), secret.get(), token.get())
        : AwsBasicCredentials.create(keyId.get(), secret.get()));
  }
}
