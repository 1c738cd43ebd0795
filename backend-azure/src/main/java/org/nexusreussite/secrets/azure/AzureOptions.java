package org.nexusreussite.secrets.azure;

import com.azure.core.credential.TokenCredential;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.spi.support.Addresses;

/**
 * How to reach one Azure Key Vault: its URL, the credential, an optional name prefix, and the transport's
 * timeouts and retries. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <pre>{@code
 * AzureOptions options = AzureOptions.builder()
 *     .vaultUrl("https://my-vault.vault.azure.net")
 *     .credential(new ManagedIdentityCredentialBuilder().build())
 *     .build();
 * }</pre>
 */
public final class AzureOptions {
  /** Default total deadline of one request (one attempt): connect, headers and the whole body. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** What the default call deadline adds to {@code timeout x (maxRetries + 1)}: room for the back-off. */
  public static final Duration DEFAULT_CALL_TIMEOUT_SLACK = Duration.ofSeconds(5);
  /** Default cap on one answer: 4 MiB, far above Key Vault's 25 KB value limit plus paging. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Default number of retries after a throttled (429), 5xx or network-failed request. */
  public static final int DEFAULT_MAX_RETRIES = 3;
  /** Default first back-off when the service gives no {@code Retry-After}; it doubles per retry. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMillis(800);
  /** Default longest {@code Retry-After} honoured; a longer one fails the request at once. */
  public static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.ofSeconds(30);

  private final URI vaultUrl;
  private final String prefix;
  private final @Nullable TokenCredential credential;
  private final @Nullable SSLContext sslContext;
  private final Duration timeout;
  private final Duration callTimeout;
  private final int maxResponseBytes;
  private final int maxRetries;
  private final Duration retryDelay;
  private final Duration maxRetryWait;
  private final boolean challengeResourceVerification;
  private final Clock clock;

  private AzureOptions(Builder b) {
    this.vaultUrl = Objects.requireNonNull(b.vaultUrl, "vaultUrl"); // build() checked it
    this.prefix = b.prefix;
    this.credential = b.credential;
    this.sslContext = b.sslContext;
    this.timeout = b.timeout;
    // as for AWS (SECRETS_AWS_CALL_TIMEOUT): by default every attempt can use its whole deadline, plus back-off
    this.callTimeout = b.callTimeout != null ? b.callTimeout
        : b.timeout.multipliedBy(b.maxRetries + 1L).plus(DEFAULT_CALL_TIMEOUT_SLACK);
    this.maxResponseBytes = b.maxResponseBytes;
    this.maxRetries = b.maxRetries;
    this.retryDelay = b.retryDelay;
    this.maxRetryWait = b.maxRetryWait;
    this.challengeResourceVerification = b.challengeResourceVerification;
    this.clock = b.clock;
  }

  /** A new builder; only {@link Builder#vaultUrl(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The vault's URL, e.g. {@code https://my-vault.vault.azure.net}, without a trailing slash. */
  public URI vaultUrl() {
    return vaultUrl;
  }

  /** The prefix put before every mapped secret name, e.g. {@code myapp-}; empty when none. */
  public String prefix() {
    return prefix;
  }

  /** The credential given in code; empty means {@code DefaultAzureCredential}. */
  public Optional<TokenCredential> credential() {
    return Optional.ofNullable(credential);
  }

  /** The TLS context given in code (a private CA); empty means the JDK's default trust store. */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(sslContext);
  }

  /** Total deadline of one request: connect, headers and the whole body. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Total deadline of one store call: every attempt, back-off and {@code Retry-After} wait, and every page of a
   * listing. Defaults to {@code timeout x (maxRetries + 1) + 5s}.
   */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** Largest answer accepted, in bytes. */
  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  /** Retries after throttling, 5xx answers and network failures. */
  public int maxRetries() {
    return maxRetries;
  }

  /** First back-off without {@code Retry-After}. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** Longest {@code Retry-After} honoured before giving up. */
  public Duration maxRetryWait() {
    return maxRetryWait;
  }

  /** Whether the challenge's resource must match the vault's host (on unless disabled for a stand-in). */
  public boolean challengeResourceVerification() {
    return challengeResourceVerification;
  }

  /** The clock for fetch timestamps and expiry checks. */
  public Clock clock() {
    return clock;
  }

  /** Names the vault and the prefix, never the credential. */
  @Override
  public String toString() {
    return "AzureOptions[" + vaultUrl + (prefix.isEmpty() ? "" : ", prefix " + prefix) + "]";
  }

  /**
   * Parses and checks a vault URL: absolute, {@code https://}, with a host and no query.
   *
   * @throws BackendConfigurationException naming {@code setting}, without echoing the value
   */
  static URI parseVaultUrl(String setting, String text) {
    Objects.requireNonNull(text, setting);
    String expectation = "expected an https:// Key Vault URL such as https://my-vault.vault.azure.net";
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      // without the cause: its message quotes the text, which may carry a password
      throw new BackendConfigurationException(AzureSecretBackend.ID,
          "Invalid setting " + setting + ": not a URL; " + expectation);
    }
    if (uri.getRawUserInfo() != null) {
      // Key Vault never takes credentials in the URL; refusing beats dropping them silently
      throw new BackendConfigurationException(AzureSecretBackend.ID, "Invalid setting " + setting + " ("
          + Addresses.redact(text.strip()) + "): a Key Vault URL carries no user name or password; remove them "
          + "and give credentials through AZURE_* identity settings; " + expectation);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https")) {
      // always, not only in strict profiles: the Azure client refuses to send a token over plain HTTP
      throw new BackendConfigurationException(AzureSecretBackend.ID, "Invalid setting " + setting
          + ": Azure Key Vault must be reached over https:// (tokens are never sent over plain HTTP); "
          + expectation);
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))) {
      throw new BackendConfigurationException(AzureSecretBackend.ID,
          "Invalid setting " + setting + ": " + expectation + " (a host only, no path or query)");
    }
    String base = "https://" + uri.getRawAuthority();
    return URI.create(base);
  }

  /** Builds {@link AzureOptions}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable URI vaultUrl;
    private String prefix = "";
    private @Nullable TokenCredential credential;
    private @Nullable SSLContext sslContext;
    private Duration timeout = DEFAULT_TIMEOUT;
    private @Nullable Duration callTimeout; // unset: derived from the per-try timeout in the constructor
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private Duration maxRetryWait = DEFAULT_MAX_RETRY_WAIT;
    private boolean challengeResourceVerification = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The vault's URL.
     *
     * @throws BackendConfigurationException when it is not an {@code https://} URL with a host
     */
    public Builder vaultUrl(String url) {
      this.vaultUrl = parseVaultUrl("vaultUrl", url);
      return this;
    }

    Builder vaultUrl(URI checked) {
      this.vaultUrl = checked;
      return this;
    }

    /**
     * A prefix for every secret name, mapped like keys ({@code myapp_} becomes {@code myapp-}), so one
     * vault can hold several applications' secrets.
     *
     * @throws BackendConfigurationException when it holds characters Key Vault names cannot
     */
    public Builder prefix(String prefix) {
      this.prefix = KeyVaultNames.mapPrefix("prefix", Objects.requireNonNull(prefix, "prefix"));
      return this;
    }

    Builder mappedPrefix(String mapped) {
      this.prefix = mapped;
      return this;
    }

    /** The credential to use instead of {@code DefaultAzureCredential}. */
    public Builder credential(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
      return this;
    }

    /** A TLS context trusting a private CA (a TLS-inspecting proxy, a test server). Verification stays on. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Largest answer accepted, in bytes, at least 1024; a larger one is refused after reading at most this
     * many bytes.
     */
    public Builder maxResponseBytes(int maxResponseBytes) {
      if (maxResponseBytes < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
      }
      this.maxResponseBytes = maxResponseBytes;
      return this;
    }

    /**
     * Total deadline of one request (connect, headers and the whole body); positive. A request past it fails
     * and is not retried.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = requirePositive(timeout, "timeout");
      return this;
    }

    /**
     * Total deadline of one store call (every attempt, back-off and {@code Retry-After} wait); positive. Each
     * attempt gets the smaller of {@link #timeout(Duration)} and the time left; no retry starts once it passed.
     * Defaults to {@code timeout x (maxRetries + 1) + 5s}.
     */
    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = requirePositive(callTimeout, "callTimeout");
      return this;
    }

    /** Retries after throttling, 5xx and network failures; 0 to 10. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries must be between 0 and 10");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** First back-off when the service gives no {@code Retry-After}; positive. */
    public Builder retryDelay(Duration retryDelay) {
      this.retryDelay = requirePositive(retryDelay, "retryDelay");
      return this;
    }

    /**
     * The longest {@code Retry-After} to wait for; a service asking for more fails the request at once,
     * so a caller is never parked for minutes (the resolver serves its cached value meanwhile).
     */
    public Builder maxRetryWait(Duration maxRetryWait) {
      Objects.requireNonNull(maxRetryWait, "maxRetryWait");
      if (maxRetryWait.isNegative()) {
        throw new IllegalArgumentException("maxRetryWait must not be negative");
      }
      this.maxRetryWait = maxRetryWait;
      return this;
    }

    /**
     * Accepts a challenge whose resource does not match the vault's host. Only for a stand-in server
     * (tests); against Azure, keep the check: it stops a token for the vault going to another host.
     */
    public Builder disableChallengeResourceVerification() {
      this.challengeResourceVerification = false;
      return this;
    }

    /** The clock for timestamps and expiry checks (tests inject a fake). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The options.
     *
     * @throws IllegalStateException when no vault URL was given
     */
    public AzureOptions build() {
      if (vaultUrl == null) {
        throw new IllegalStateException("vaultUrl is required");
      }
      return new AzureOptions(this);
    }

    private static Duration requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
