package org.nexusreussite.secrets.azure;

import com.azure.core.credential.TokenCredential;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.spi.support.Addresses;

/**
 * Provides the Azure Key Vault backend: id {@value AzureSecretBackend#ID}, ordinal {@value #ORDINAL},
 * active when {@value #VAULT_URL} (or {@value #VAULT_URL_ALIAS}) is set.
 *
 * <p>Settings: {@value #VAULT_URL} / {@value #VAULT_URL_ALIAS} (the vault, {@code https://} only),
 * {@value #PREFIX} (prepended to every secret name), {@value #TIMEOUT}, {@value #CALL_TIMEOUT},
 * {@value #MAX_RESPONSE_BYTES}, {@value #MAX_RETRIES},
 * {@value #MAX_RETRY_WAIT}. Credentials come from {@code DefaultAzureCredential} (its own {@code AZURE_*}
 * variables, workload identity, managed identity, Azure CLI) unless one is given with
 * {@link #withCredential(TokenCredential)}:
 *
 * <pre>{@code
 * SecretResolver resolver = SecretResolver.builder()
 *     .discover()
 *     .provider(AzureBackendProvider.withCredential(new ManagedIdentityCredentialBuilder().build()))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class AzureBackendProvider implements SecretBackendProvider {
  /** Default precedence, with the other remote stores: below env vars and mounted files, above dotenv. */
  public static final int ORDINAL = 300;
  /** The vault's URL, e.g. {@code https://my-vault.vault.azure.net}. */
  public static final String VAULT_URL = "AZURE_KEYVAULT_URL";
  /** The same, in the SDK's own namespace. */
  public static final String VAULT_URL_ALIAS = "SECRETS_AZURE_VAULT_URL";
  /** Prefix put before every secret name ({@code myapp_} becomes {@code myapp-}). */
  public static final String PREFIX = "SECRETS_AZURE_PREFIX";
  /** Total deadline of one request (connect, headers and whole body), default 10s; not retried when passed. */
  public static final String TIMEOUT = "SECRETS_AZURE_TIMEOUT";
  /**
   * Total deadline of one store call, all attempts, back-off and {@code Retry-After} waits included; default
   * {@value #TIMEOUT} x ({@value #MAX_RETRIES} + 1) + 5s, at least {@value #TIMEOUT}. Named like AWS's
   * {@code SECRETS_AWS_CALL_TIMEOUT}.
   */
  public static final String CALL_TIMEOUT = "SECRETS_AZURE_CALL_TIMEOUT";
  /** Largest answer accepted, in bytes, default 4 MiB; a larger one is refused without reading it all. */
  public static final String MAX_RESPONSE_BYTES = "SECRETS_AZURE_MAX_RESPONSE_BYTES";
  /** Retries after throttling, 5xx and network failures, default 3. */
  public static final String MAX_RETRIES = "SECRETS_AZURE_MAX_RETRIES";
  /** The longest {@code Retry-After} honoured, default 30s; longer fails the request at once. */
  public static final String MAX_RETRY_WAIT = "SECRETS_AZURE_MAX_RETRY_WAIT";

  private final @Nullable TokenCredential credential;

  /** For ServiceLoader: credentials through {@code DefaultAzureCredential}. */
  public AzureBackendProvider() {
    this.credential = null;
  }

  private AzureBackendProvider(TokenCredential credential) {
    this.credential = Objects.requireNonNull(credential, "credential");
  }

  /** A provider that authenticates with {@code credential} instead of {@code DefaultAzureCredential}. */
  public static AzureBackendProvider withCredential(TokenCredential credential) {
    return new AzureBackendProvider(credential);
  }

  @Override
  public String id() {
    return AzureSecretBackend.ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    Optional<String> setting = urlSetting(context.config());
    if (setting.isEmpty()) {
      return Activation.inactive(VAULT_URL + " is not set");
    }
    return Activation.active(setting.get() + "=" + Addresses.redact(context.config().get(setting.get()).orElse("")));
  }

  /**
   * Builds the backend from the settings.
   *
   * @throws org.nexusreussite.secrets.BackendConfigurationException naming the setting when the URL is
   *     missing or not {@code https://}, the prefix holds characters Key Vault names cannot, or a
   *     duration or number does not parse
   */
  @Override
  public SecretBackend create(BackendContext context) {
    return AzureSecretBackend.create(options(context).build());
  }

  /** The options from the settings, for callers adding test-only or code-only options. */
  AzureOptions.Builder options(BackendContext context) {
    SecretsConfig config = context.config();
    String setting = urlSetting(config).orElseThrow(() -> invalid(VAULT_URL,
        "not set; expected an https:// Key Vault URL such as https://my-vault.vault.azure.net"));
    URI url = AzureOptions.parseVaultUrl(setting, config.get(setting).orElseThrow());
    AzureOptions.Builder b = AzureOptions.builder()
        .vaultUrl(url)
        .mappedPrefix(KeyVaultNames.mapPrefix(PREFIX, config.get(PREFIX, "")))
        .clock(context.clock());
    Duration timeout = config.duration(TIMEOUT, AzureOptions.DEFAULT_TIMEOUT);
    if (timeout.isZero()) {
      throw invalid(TIMEOUT, "expected a positive duration such as 10s");
    }
    int retries = config.integer(MAX_RETRIES, AzureOptions.DEFAULT_MAX_RETRIES);
    if (retries < 0 || retries > 10) {
      throw invalid(MAX_RETRIES, "expected a number of retries from 0 to 10");
    }
    int maxBytes = config.integer(MAX_RESPONSE_BYTES, AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);
    if (maxBytes < 1024) {
      throw invalid(MAX_RESPONSE_BYTES, "expected a number of bytes of at least 1024, such as "
          + AzureOptions.DEFAULT_MAX_RESPONSE_BYTES);
    }
    Duration callTimeout = config.duration(CALL_TIMEOUT,
        timeout.multipliedBy(retries + 1L).plus(AzureOptions.DEFAULT_CALL_TIMEOUT_SLACK));
    if (callTimeout.compareTo(timeout) < 0) {
      throw invalid(CALL_TIMEOUT, "expected a duration of at least " + TIMEOUT + " (" + timeout.toMillis()
          + " ms)");
    }
    b.timeout(timeout)
        .callTimeout(callTimeout)
        .maxResponseBytes(maxBytes)
        .maxRetries(retries)
        .maxRetryWait(config.duration(MAX_RETRY_WAIT, AzureOptions.DEFAULT_MAX_RETRY_WAIT));
    if (credential != null) {
      b.credential(credential);
    }
    return b;
  }

  private static BackendConfigurationException invalid(String setting, String expectation) {
    return new BackendConfigurationException(AzureSecretBackend.ID, "Invalid setting " + setting + ": " + expectation);
  }

  private static Optional<String> urlSetting(SecretsConfig config) {
    if (config.isSet(VAULT_URL)) {
      return Optional.of(VAULT_URL);
    }
    if (config.isSet(VAULT_URL_ALIAS)) {
      return Optional.of(VAULT_URL_ALIAS);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "AzureBackendProvider[" + (credential == null ? "DefaultAzureCredential" : "credential given in code")
        + "]";
  }
}
