package org.nexusreussite.secrets.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;

/**
 * Azure Key Vault through the Azure SDK's {@code SecretClient} on the JDK HTTP client. A key maps to a
 * secret name ({@code DATABASE_URL} -> {@code DATABASE-URL}, after an optional prefix); Key Vault keeps
 * every value as a version, so history, fetch by version id, {@code previous()} and rollback (a new
 * version holding the old value, tagged {@value #RESTORED_FROM_TAG}) are supported. Disabled, expired and
 * not-yet-valid versions are listed with their state and never served.
 *
 * <p>Thread-safe: the Azure client is. Values are not cached here; the resolver caches.
 *
 * <pre>{@code
 * SecretBackend azure = AzureSecretBackend.create(AzureOptions.builder()
 *     .vaultUrl("https://my-vault.vault.azure.net")
 *     .build());
 * }</pre>
 */
public final class AzureSecretBackend implements SecretBackend {
  /** The backend id. */
  public static final String ID = "azure";
  /** The tag a rollback puts on the version it creates, holding the id of the version it restores. */
  public static final String RESTORED_FROM_TAG = "restored-from";

  // Key Vault version ids are 32 hex digits; anything outside letters and digits cannot name a version
  private static final Pattern VERSION_ID = Pattern.compile("[0-9A-Za-z]{1,64}");
  private static final String HEALTH_PROBE_NAME = "nexus-secrets-health-probe";

  private final AzureOptions options;
  private final SecretClient client;
  private final KeyVaultNames names;
  private final KeyVaultErrors errors;
  private final String description;

  private AzureSecretBackend(AzureOptions options, SecretClient client) {
    this.options = options;
    this.client = client;
    this.names = new KeyVaultNames(options.vaultUrl().toString(), options.prefix());
    this.errors = new KeyVaultErrors(options.vaultUrl().toString(), options.maxRetries());
    this.description = ID + "[" + options.vaultUrl() + (options.prefix().isEmpty() ? "" : ", prefix "
        + options.prefix()) + "]";
  }

  /**
   * A backend for the vault in {@code options}, authenticating with the credential given there or with
   * {@code DefaultAzureCredential}. Makes no request yet.
   *
   * @throws BackendConfigurationException when the client cannot be built from the options
   */
  public static AzureSecretBackend create(AzureOptions options) {
    TokenCredential credential = options.credential()
        .orElseGet(() -> new DefaultAzureCredentialBuilder().build());
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
    options.sslContext().ifPresent(jdk::sslContext);
    HttpClient http = new BoundedHttpClient(new JdkHttpClientBuilder(jdk)
        .connectionTimeout(options.timeout())
        .responseTimeout(options.timeout())
        .readTimeout(options.timeout())
        .build(), options.timeout(), options.maxResponseBytes());
    SecretClientBuilder builder = new SecretClientBuilder()
        .vaultUrl(options.vaultUrl().toString())
        .credential(credential)
        .httpClient(http)
        .retryPolicy(new RetryPolicy(new BoundedRetryStrategy(options.maxRetries(), options.retryDelay(),
            options.maxRetryWait())))
        // bodies carry secret values: never let AZURE_HTTP_LOG_DETAIL_LEVEL=body print them
        .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE));
    if (!options.challengeResourceVerification()) {
      builder.disableChallengeResourceVerification();
    }
    try {
      return new AzureSecretBackend(options, builder.buildClient());
    } catch (RuntimeException e) {
      throw new BackendConfigurationException(ID, "Could not build the Azure Key Vault client for "
          + options.vaultUrl() + ": " + e.getClass().getSimpleName() + "; check AZURE_KEYVAULT_URL", e);
    }
  }

  /** The options this backend was built with. */
  public AzureOptions options() {
    return options;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.VERSIONS, Capability.LISTING, Capability.ROLLBACK, Capability.WRITE);
  }

  /** {@link VersionScope#KEY}: Key Vault versions each secret on its own. */
  @Override
  public VersionScope versionScope() {
    return VersionScope.KEY;
  }

  @Override
  public String describe() {
    return description;
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code previous()} is the newest servable version before the current one. A stage selector is
   * refused: Key Vault versions have no stages. A read by id does not ask which version is current, so
   * its {@link SecretVersion#current()} is false.
   *
   * @throws BackendConfigurationException naming the key when it cannot be mapped to a secret name, or
   *     when the version asked for is disabled or expired
   * @throws org.nexusreussite.secrets.BackendAuthenticationException on 401/403, naming the permission
   * @throws org.nexusreussite.secrets.BackendUnavailableException when unreachable or throttled past retries
   */
  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    // one deadline for the whole call: previous() lists the versions, then reads one
    return CallDeadline.run(options.callTimeout(), context -> fetchWithin(key, version));
  }

  private Optional<Secret> fetchWithin(String key, VersionSelector version) {
    String name = names.toName(key);
    if (version instanceof VersionSelector.Latest) {
      return get(key, name, "").map(s -> toSecret(key, s, true));
    }
    if (version instanceof VersionSelector.ById byId) {
      if (!VERSION_ID.matcher(byId.versionId()).matches()) {
        return Optional.empty();
      }
      return get(key, name, byId.versionId()).map(s -> toSecret(key, s, false));
    }
    if (version instanceof VersionSelector.Previous) {
      List<SecretVersion> history = versions(key);
      for (int i = 1; i < history.size(); i++) {
        if (history.get(i).state().servable()) {
          return get(key, name, history.get(i).id()).map(s -> toSecret(key, s, false));
        }
      }
      return Optional.empty();
    }
    throw UnsupportedCapabilityException.of(ID, Capability.VERSIONS, "Azure Key Vault versions have no "
        + "stages; select a version by id, or previous()");
  }

  @Override
  public List<SecretVersion> versions(String key) {
    return CallDeadline.run(options.callTimeout(), context -> versionsWithin(key, context));
  }

  private List<SecretVersion> versionsWithin(String key, Context context) {
    String name = names.toName(key);
    List<SecretProperties> all = new ArrayList<>();
    try {
      // every page of the listing within the one deadline
      for (SecretProperties p : client.listPropertiesOfSecretVersions(name, context)) {
        if (p.getVersion() != null) {
          all.add(p);
        }
      }
    } catch (RuntimeException e) {
      if (KeyVaultErrors.status(e) == 404) {
        return List.of();
      }
      throw errors.translate(e, KeyVaultErrors.Operation.LIST_VERSIONS, key, name);
    }
    if (all.isEmpty()) {
      return List.of();
    }
    // Key Vault lists versions in no documented order: newest creation first, then last update
    all.sort(Comparator.comparing((SecretProperties p) -> instant(p.getCreatedOn()),
            Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
        .thenComparing(p -> instant(p.getUpdatedOn()), Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
        .reversed());
    String currentId = currentVersionId(key, name, all);
    Instant now = options.clock().instant();
    List<SecretVersion> out = new ArrayList<>(all.size());
    SecretProperties current = null;
    for (SecretProperties p : all) {
      if (p.getVersion().equals(currentId)) {
        current = p;
      }
    }
    if (current != null) {
      out.add(toVersion(current, true, now));
    }
    for (SecretProperties p : all) {
      if (p != current) {
        out.add(toVersion(p, false, now));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The current version's id. Key Vault's current version is the newest one; creation times have
   * one-second precision, so when the newest two share a second the service is asked which is current.
   */
  private String currentVersionId(String key, String name, List<SecretProperties> newestFirst) {
    String newest = newestFirst.get(0).getVersion();
    if (newestFirst.size() < 2
        || !java.util.Objects.equals(instant(newestFirst.get(0).getCreatedOn()),
            instant(newestFirst.get(1).getCreatedOn()))) {
      return newest;
    }
    try {
      return get(key, name, "").map(s -> s.getProperties().getVersion()).orElse(newest);
    } catch (BackendException e) {
      // a disabled current version cannot be read; the sort order stands
      return newest;
    }
  }

  @Override
  public Set<String> keys() {
    return CallDeadline.run(options.callTimeout(), this::keysWithin);
  }

  private Set<String> keysWithin(Context context) {
    Set<String> keys = new TreeSet<>();
    Instant now = options.clock().instant();
    try {
      for (SecretProperties p : client.listPropertiesOfSecrets(context)) {
        // certificate-backed secrets are managed by Key Vault, not by applications
        if (Boolean.TRUE.equals(p.isManaged()) || !state(p, now).servable()) {
          continue;
        }
        names.toKey(p.getName()).ifPresent(keys::add);
      }
    } catch (RuntimeException e) {
      throw errors.translate(e, KeyVaultErrors.Operation.LIST, null, null);
    }
    return keys;
  }

  /**
   * Writes the value of {@code toVersion} as a new version, with its content type and tags plus
   * {@value #RESTORED_FROM_TAG}{@code =<toVersion id>}: Key Vault has no native rollback, and a new version
   * keeps the history honest (the bad value stays listed, below the restored one).
   *
   * @throws SecretNotFoundException when the key or the version does not exist
   * @throws BackendConfigurationException when the version is disabled or expired
   * @throws org.nexusreussite.secrets.BackendAuthenticationException without the {@code set} permission
   */
  @Override
  public SecretVersion rollback(String key, SecretVersion toVersion) {
    return CallDeadline.run(options.callTimeout(), context -> rollbackWithin(key, toVersion, context));
  }

  private SecretVersion rollbackWithin(String key, SecretVersion toVersion, Context context) {
    String name = names.toName(key);
    String versionId = toVersion.id();
    KeyVaultSecret old = (VERSION_ID.matcher(versionId).matches() ? get(key, name, versionId)
        : Optional.<KeyVaultSecret>empty())
        .orElseThrow(() -> new SecretNotFoundException(key, "Version " + versionId + " of '" + key + "'",
            List.of(description)));
    requireServable(key, old.getProperties(), versionId);
    KeyVaultSecret restored = new KeyVaultSecret(name, old.getValue());
    Map<String, String> tags = new HashMap<>();
    if (old.getProperties().getTags() != null) {
      tags.putAll(old.getProperties().getTags());
    }
    tags.put(RESTORED_FROM_TAG, versionId);
    restored.getProperties().setTags(tags).setContentType(old.getProperties().getContentType());
    KeyVaultSecret written;
    try {
      written = client.setSecretWithResponse(restored, context).getValue();
    } catch (RuntimeException e) {
      throw errors.translate(e, KeyVaultErrors.Operation.SET, key, name);
    }
    return toVersion(written.getProperties(), true, options.clock().instant());
  }

  /**
   * Sets {@code value} as a new version of the secret, keeping the current version's content type and tags
   * (without {@value #RESTORED_FROM_TAG}: a new value restores nothing). Key Vault has no conditional write:
   * the expected version is compared with the current one just before the {@code PUT}, and the version
   * written must be the newest one listed right after it, else the write is reported as a
   * {@link WriteConflictException} (its version then stays in the history, not current). A window of one
   * request remains in which a later writer replaces ours unseen; Vault, AWS and Kubernetes close it with
   * the store's own check. A key absent here is created only with {@link WriteOptions#createIfMissing()}.
   *
   * @throws WriteConflictException when the current version is not the expected one
   * @throws org.nexusreussite.secrets.BackendAuthenticationException without the {@code set} permission
   */
  @Override
  public SecretVersion write(String key, SecretValue value, WriteOptions request) {
    return CallDeadline.run(options.callTimeout(), context -> writeWithin(key, value, request, context));
  }

  private SecretVersion writeWithin(String key, SecretValue value, WriteOptions request, Context context) {
    String name = names.toName(key);
    KeyVaultSecret current = get(key, name, "").orElse(null);
    if (current == null && !request.createIfMissing()) {
      throw SecretNotFoundException.of(key, List.of(description));
    }
    String currentId = current == null ? null : current.getProperties().getVersion();
    String expected = request.expectedVersion().orElse(null);
    if (expected != null && !expected.equals(currentId)) {
      throw new WriteConflictException(ID, key, "Key Vault secret '" + name + "'", expected, currentId);
    }
    KeyVaultSecret next = new KeyVaultSecret(name, value.reveal());
    if (current != null) {
      Map<String, String> tags = new HashMap<>();
      if (current.getProperties().getTags() != null) {
        tags.putAll(current.getProperties().getTags());
      }
      tags.remove(RESTORED_FROM_TAG);
      next.getProperties().setTags(tags).setContentType(current.getProperties().getContentType());
    }
    KeyVaultSecret written;
    try {
      written = client.setSecretWithResponse(next, context).getValue();
    } catch (RuntimeException e) {
      throw errors.translate(e, KeyVaultErrors.Operation.SET, key, name);
    }
    SecretVersion now = toVersion(written.getProperties(), true, options.clock().instant());
    // no conditional PUT in Key Vault: a writer whose version landed after ours (listed newer) wins, and we
    // report the loss; our version stays in the history, not current
    List<SecretVersion> history;
    try {
      history = versionsWithin(key, context);
    } catch (SecretsException e) {
      // the PUT landed: reporting the write as failed would skip its verification and audit it as failed,
      // with the new version current; say what could not be checked instead
      System.getLogger("org.nexusreussite.secrets.azure").log(System.Logger.Level.WARNING, "Key Vault secret "
          + "''{0}'': version {1} was written, but the check that no concurrent writer replaced it right after "
          + "could not list the versions ({2}); run ''secrets versions {3}'' to see which version is current",
          name, now.id(), e.getMessage(), key);
      return now;
    }
    if (!history.isEmpty() && !history.get(0).id().equals(now.id())) {
      throw new WriteConflictException(ID, key, "Key Vault secret '" + name + "', which has no conditional write; "
          + "the version written here, " + now.id() + ", is not current", currentId, history.get(0).id());
    }
    return now;
  }

  /** Reads a secret that cannot exist: 404 proves the vault is reachable and the identity may read. */
  @Override
  public BackendHealth health() {
    try {
      CallDeadline.run(options.callTimeout(),
          context -> client.getSecretWithResponse(HEALTH_PROBE_NAME, "", context));
      return BackendHealth.up(ID, "reachable and authorised: " + options.vaultUrl());
    } catch (RuntimeException e) {
      if (KeyVaultErrors.status(e) == 404) {
        return BackendHealth.up(ID, "reachable and authorised: " + options.vaultUrl());
      }
      RuntimeException failure = errors.translate(e, KeyVaultErrors.Operation.GET, null, HEALTH_PROBE_NAME);
      return BackendHealth.down(ID, String.valueOf(failure.getMessage()));
    }
  }

  /** Nothing to release: the JDK client's threads end with it. Idempotent. */
  @Override
  public void close() {
    // the Azure SecretClient has no close, and java.net.http.HttpClient has none before Java 21
  }

  /** Names the vault, never a value or credential. */
  @Override
  public String toString() {
    return "AzureSecretBackend[" + options.vaultUrl() + (options.prefix().isEmpty() ? "" : ", prefix "
        + options.prefix()) + "]";
  }

  private Optional<KeyVaultSecret> get(String key, String name, String version) {
    try {
      // within the caller's deadline when there is one (fetch, rollback), else its own
      return Optional.ofNullable(CallDeadline.run(options.callTimeout(),
          context -> client.getSecretWithResponse(name, version, context)).getValue());
    } catch (RuntimeException e) {
      if (KeyVaultErrors.status(e) == 404) {
        return Optional.empty();
      }
      throw errors.translate(e, KeyVaultErrors.Operation.GET, key, name);
    }
  }

  private Secret toSecret(String key, KeyVaultSecret secret, boolean current) {
    SecretProperties p = secret.getProperties();
    requireServable(key, p, p.getVersion());
    String value = secret.getValue() == null ? "" : secret.getValue();
    return Secret.of(key, SecretValue.of(value), toVersion(p, current, options.clock().instant()), ID,
        options.clock().instant());
  }

  /** Key Vault serves expired values (expiry is advisory there); this backend does not. */
  private void requireServable(String key, SecretProperties p, String versionId) {
    SecretVersion.State state = state(p, options.clock().instant());
    if (state == SecretVersion.State.DISABLED) {
      throw errors.disabled(key, p.getName(), versionId);
    }
    if (state == SecretVersion.State.EXPIRED) {
      throw new BackendConfigurationException(ID, "Secret '" + key + "' (Key Vault name '" + p.getName()
          + "', version " + versionId + ") in Azure Key Vault " + options.vaultUrl() + " expired on "
          + p.getExpiresOn() + " and is not served: set a new value, or move its expiry date");
    }
  }

  private SecretVersion toVersion(SecretProperties p, boolean current, Instant now) {
    String version = p.getVersion();
    if (version == null || version.isEmpty()) {
      // found by fuzzing: an answer without an "id" gave a NullPointerException from SecretVersion
      throw new BackendUnavailableException(ID, "Azure Key Vault " + options.vaultUrl() + " answered with a "
          + "secret that has no version id (no 'id' field); check that AZURE_KEYVAULT_URL points at Key Vault "
          + "itself, not at a proxy");
    }
    return SecretVersion.of(version, instant(p.getCreatedOn()), Set.of(), current, state(p, now));
  }

  static SecretVersion.State state(SecretProperties p, Instant now) {
    if (Boolean.FALSE.equals(p.isEnabled())) {
      return SecretVersion.State.DISABLED;
    }
    if (p.getExpiresOn() != null && !p.getExpiresOn().toInstant().isAfter(now)) {
      return SecretVersion.State.EXPIRED;
    }
    if (p.getNotBefore() != null && p.getNotBefore().toInstant().isAfter(now)) {
      // not valid yet: Key Vault refuses to serve it, so it is reported like a disabled version
      return SecretVersion.State.DISABLED;
    }
    return SecretVersion.State.ENABLED;
  }

  private static @Nullable Instant instant(@Nullable OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
