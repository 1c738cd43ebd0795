package org.nexusreussite.secrets.aws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VerificationFailedException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.VersionScope;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.APIErrorType;
import software.amazon.awssdk.services.secretsmanager.model.BatchGetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretValueEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/**
 * AWS Secrets Manager as a {@link SecretBackend}, in two layouts that can be combined:
 * <ul>
 *   <li><b>JSON</b> ({@code SECRETS_AWS_SECRET_ID=nexus-reussite}, a comma list, earlier ids win): each
 *       secret's string is a JSON object whose fields are the keys; one {@code GetSecretValue} serves all
 *       of its fields.</li>
 *   <li><b>per key</b> ({@code SECRETS_AWS_PREFIX=nexus-reussite/}): the key {@code DATABASE_URL} is the
 *       secret {@code nexus-reussite/DATABASE_URL}, string or (UTF-8) binary.</li>
 * </ul>
 * When both are set, the JSON secrets are searched first.
 *
 * <p>Versions are AWS version ids with their staging labels; {@link VersionSelector#previous()} is
 * {@code AWSPREVIOUS}; a rollback moves {@code AWSCURRENT}. In the JSON layout all fields of a secret
 * share its versions, so rolling one key back rolls back every field of that secret.
 *
 * <p>This backend keeps no values: the resolver caches. {@link #fetchAll(Collection)} reads several
 * secrets with one {@code BatchGetSecretValue} (falling back to one {@code GetSecretValue} per secret
 * where the batch call is not allowed). Thread-safe.
 *
 * <pre>{@code
 * SecretBackend aws = AwsSecretBackend.builder()
 *     .client(SecretsManagerClient.create())
 *     .secretIds(List.of("nexus-reussite"))
 *     .build();
 * }</pre>
 */
public final class AwsSecretBackend implements SecretBackend {
  /** The backend id. */
  public static final String ID = "aws";
  /** The staging label of the version a plain read returns. */
  public static final String AWSCURRENT = "AWSCURRENT";
  /** The staging label AWS moves to the version that was current before. */
  public static final String AWSPREVIOUS = "AWSPREVIOUS";

  private static final String GET = "secretsmanager:GetSecretValue";
  /** The batch call reads at most this many secrets per request. */
  private static final int BATCH_LIMIT = 20;

  private final SecretsManagerClient client;
  private final boolean ownsClient;
  private final List<String> secretIds;
  private final @Nullable String prefix;
  private final Clock clock;
  private final AwsErrors errors;
  private final String where;
  private final System.Logger log;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean batchAllowed = true;

  private AwsSecretBackend(Builder b) {
    this.client = Objects.requireNonNull(b.client, "client"); // build() checked it
    this.ownsClient = b.ownsClient;
    this.secretIds = List.copyOf(b.secretIds);
    this.prefix = b.prefix;
    this.clock = b.clock;
    this.where = b.where;
    this.errors = new AwsErrors(ID, b.where, b.maxAttempts);
    this.log = System.getLogger("org.nexusreussite.secrets." + ID);
  }

  /** A builder; {@code client} and at least one of {@code secretIds} or {@code prefix} are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.VERSIONS, Capability.LISTING, Capability.ROLLBACK, Capability.WRITE);
  }

  /** {@code aws[nexus-reussite, prefix nexus-reussite/]}: the secrets searched, in order. */
  /**
   * {@link VersionScope#KEY} in the per-key layout alone ({@code SECRETS_AWS_PREFIX}, one secret per key);
   * {@link VersionScope#SOURCE} with JSON secrets, whose version covers all their keys.
   */
  @Override
  public VersionScope versionScope() {
    return secretIds.isEmpty() && prefix != null ? VersionScope.KEY : VersionScope.SOURCE;
  }

  @Override
  public String describe() {
    List<String> parts = new ArrayList<>(secretIds);
    if (prefix != null) {
      parts.add("prefix " + prefix);
    }
    return ID + parts;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    Keys.requireValid(key);
    Objects.requireNonNull(version, "version");
    if (version instanceof VersionSelector.Latest) {
      for (String secretId : secretIds) {
        Optional<Read> read = read(secretId, version);
        if (read.isPresent()) {
          String field = fieldsOf(read.get()).get(key);
          if (field != null) {
            return Optional.of(secret(key, field, read.get()));
          }
        }
      }
      if (prefix != null) {
        return read(prefix + key, version).map(r -> secret(key, r.text(), r));
      }
      return Optional.empty();
    }
    Optional<Location> location = locate(key, false);
    if (location.isEmpty()) {
      return Optional.empty();
    }
    Optional<Read> read = read(location.get().secretId(), version);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    if (!location.get().json()) {
      return Optional.of(secret(key, read.get().text(), read.get()));
    }
    String field = fieldsOf(read.get()).get(key);
    return field == null ? Optional.empty() : Optional.of(secret(key, field, read.get()));
  }

  /**
   * The current values of several keys: every JSON-layout secret and every per-key secret asked for is
   * read with {@code BatchGetSecretValue} (up to 20 secrets per request), so the resolver's batched
   * refresh and a start-up warm-up cost one request rather than one per key.
   */
  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    Map<String, Secret> found = new LinkedHashMap<>();
    List<String> wanted = new ArrayList<>(new LinkedHashSet<>(keys));
    wanted.forEach(Keys::requireValid);
    if (!secretIds.isEmpty() && !wanted.isEmpty()) {
      Map<String, Read> reads = readCurrent(secretIds);
      for (String secretId : secretIds) {
        Read read = reads.get(secretId);
        if (read == null) {
          continue;
        }
        // every field, not only those asked: one GetSecretValue carried them all (siblings the resolver may
        // cache); every JSON secret is read here, so the first one holding a field wins as in fetch()
        fieldsOf(read).forEach((key, field) -> {
          if (Keys.isValid(key) && !found.containsKey(key)) {
            found.put(key, secret(key, field, read));
          }
        });
      }
    }
    if (prefix != null) {
      List<String> rest = new ArrayList<>();
      for (String key : wanted) {
        if (!found.containsKey(key)) {
          rest.add(prefix + key);
        }
      }
      Map<String, Read> reads = readCurrent(rest);
      for (String key : wanted) {
        Read read = reads.get(prefix + key);
        if (read != null && !found.containsKey(key)) {
          found.put(key, secret(key, read.text(), read));
        }
      }
    }
    return found;
  }

  /**
   * Reads every configured secret once to surface a wrong secret id, a missing permission or a
   * malformed JSON secret in the start-up log, and to warm the credential provider and the connection.
   * Nothing read is kept: the resolver caches what it serves. Never throws.
   *
   * @param requiredKeys keys the application requires; in the per-key layout their secrets are read too
   */
  void warmUp(Collection<String> requiredKeys) {
    List<String> ids = new ArrayList<>(secretIds);
    if (prefix != null) {
      for (String key : requiredKeys) {
        if (Keys.isValid(key)) {
          ids.add(prefix + key);
        }
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    try {
      Map<String, Read> reads = readCurrent(ids);
      List<String> missing = new ArrayList<>();
      for (String id : ids) {
        Read read = reads.get(id);
        if (read == null) {
          missing.add(id);
        } else if (secretIds.contains(id)) {
          fieldsOf(read);
        }
      }
      if (!missing.isEmpty()) {
        log.log(System.Logger.Level.WARNING, "AWS Secrets Manager ({0}) has no secret {1}: keys it should hold "
            + "will not be found here (check SECRETS_AWS_SECRET_ID / SECRETS_AWS_PREFIX and AWS_REGION)",
            where, missing);
      } else {
        log.log(System.Logger.Level.DEBUG, "AWS warm-up read {0} secret(s) from {1}", ids.size(), where);
      }
    } catch (BackendException e) {
      log.log(System.Logger.Level.WARNING, "AWS warm-up found a problem that reads will report too: {0}", e.getMessage());
    }
  }

  // ---------------------------------------------------------------- versions and rollback

  @Override
  public List<SecretVersion> versions(String key) {
    Keys.requireValid(key);
    Optional<Location> location = locate(key, true);
    return location.isEmpty() ? List.of() : listVersions(location.get().secretId());
  }

  @Override
  public SecretVersion rollback(String key, SecretVersion toVersion) {
    Keys.requireValid(key);
    Objects.requireNonNull(toVersion, "toVersion");
    Location location = locate(key, true).orElseThrow(() -> SecretNotFoundException.of(key, List.of(describe())));
    String secretId = location.secretId();
    List<SecretVersion> history = listVersions(secretId);
    SecretVersion target = history.stream().filter(v -> v.id().equals(toVersion.id())).findFirst()
        .orElseThrow(() -> new SecretNotFoundException(key, "Version " + toVersion.id() + " of '" + key + "'",
            List.of(describe())));
    Optional<SecretVersion> current = history.stream().filter(SecretVersion::current).findFirst();
    if (current.isPresent() && current.get().id().equals(target.id())) {
      return target;
    }
    call("UpdateSecretVersionStage", secretId, "secretsmanager:UpdateSecretVersionStage",
        () -> client.updateSecretVersionStage(r -> {
          r.secretId(secretId).versionStage(AWSCURRENT).moveToVersionId(target.id());
          current.ifPresent(c -> r.removeFromVersionId(c.id()));
        }));
    log.log(System.Logger.Level.INFO, "Moved AWSCURRENT of secret ''{0}'' to version {1}{2}", secretId,
        target.id(), location.json() ? " (every field of this JSON secret rolls back with it)" : "");
    return listVersions(secretId).stream().filter(v -> v.id().equals(target.id())).findFirst()
        .orElse(target.withCurrent(true));
  }

  // ---------------------------------------------------------------- write

  /** The staging label of a version written but not promoted yet, as in AWS's own rotation. */
  public static final String AWSPENDING = "AWSPENDING";

  /** True: {@link #write} runs the verifier while the new version is {@code AWSPENDING}. */
  @Override
  public boolean stagedWrites() {
    return true;
  }

  /**
   * Writes in two phases, as AWS's own rotation does: the new value becomes a version labelled
   * {@code AWSPENDING} ({@code PutSecretValue}); the verifier, if any, runs; then {@code AWSCURRENT} moves to
   * it from the version read at the start ({@code UpdateSecretVersionStage} with {@code RemoveFromVersionId},
   * which AWS refuses when another writer moved the label meanwhile: a {@link WriteConflictException}), the
   * old version becoming {@code AWSPREVIOUS}. A refused verification leaves the new version unpromoted and
   * takes {@code AWSPENDING} off it. In the JSON layout only the key's field changes; the other fields are
   * written back with their exact text. A key absent here is created only with
   * {@link WriteOptions#createIfMissing()}: as a field of the first JSON secret, else as the secret
   * {@code prefix + key} ({@code CreateSecret}, verified before it is created).
   *
   * @throws WriteConflictException when {@code AWSCURRENT} is not on the expected version
   * @throws VerificationFailedException when the verifier refused the pending version
   */
  @Override
  public SecretVersion write(String key, SecretValue value, WriteOptions request) {
    Keys.requireValid(key);
    Objects.requireNonNull(value, "value");
    Optional<Location> location = locate(key, true);
    String secretId;
    boolean json;
    if (location.isPresent()) {
      secretId = location.get().secretId();
      json = location.get().json();
    } else if (!request.createIfMissing()) {
      throw SecretNotFoundException.of(key, List.of(describe()));
    } else if (!secretIds.isEmpty()) {
      secretId = secretIds.get(0);
      json = true;
    } else {
      secretId = Objects.requireNonNull(prefix, "a backend has secret ids or a prefix") + key;
      json = false;
    }
    Read current = read(secretId, VersionSelector.latest()).orElse(null);
    String currentId = current == null ? null : current.versionId();
    String expected = request.expectedVersion().orElse(null);
    if (expected != null && !expected.equals(currentId)) {
      throw new WriteConflictException(ID, key, "secret '" + secretId + "'", expected, currentId);
    }
    String text = value.reveal();
    if (json) {
      try {
        text = JsonFields.withField(current == null ? "{}" : current.text(), key, text);
      } catch (JsonFields.JsonProblem p) {
        throw new InvalidSecretSourceException(ID, "secret '" + secretId + "'", 0, "cannot be updated: it must hold "
            + "a JSON object, but " + p.getMessage());
      }
    }
    String body = text;
    String token = UUID.randomUUID().toString();
    if (current == null) {
      verifyOrRefuse(key, value, request, secretId, "(not created)");
      call("CreateSecret", secretId, "secretsmanager:CreateSecret", () -> {
        try {
          return client.createSecret(r -> r.name(secretId).secretString(body).clientRequestToken(token));
        } catch (AwsServiceException e) {
          if ("ResourceExistsException".equals(AwsErrors.code(e))) {
            // another writer created it between our read and our create: a lost race, like a failed check-and-set
            throw new WriteConflictException(ID, key, "secret '" + secretId + "'", null, null);
          }
          throw e;
        }
      });
      log.log(System.Logger.Level.INFO, "Created secret ''{0}'' for ''{1}''", secretId, key);
      return SecretVersion.of(token, clock.instant(), Set.of(AWSCURRENT), true, SecretVersion.State.ENABLED);
    }
    String pending = call("PutSecretValue", secretId, "secretsmanager:PutSecretValue",
        () -> client.putSecretValue(r -> r.secretId(secretId).secretString(body).clientRequestToken(token)
            .versionStages(AWSPENDING)).versionId())
        .orElseThrow(() -> SecretNotFoundException.of(key, List.of(describe())));
    try {
      verifyOrRefuse(key, value, request, secretId, pending);
    } catch (VerificationFailedException e) {
      unstage(secretId, pending);
      throw e;
    }
    try {
      client.updateSecretVersionStage(r -> r.secretId(secretId).versionStage(AWSCURRENT).moveToVersionId(pending)
          .removeFromVersionId(currentId));
    } catch (AwsServiceException e) {
      String code = AwsErrors.code(e);
      unstage(secretId, pending);
      if (code.equals("InvalidParameterException") || code.equals("InvalidRequestException")) {
        String now = read(secretId, VersionSelector.latest()).map(Read::versionId).orElse(null);
        throw new WriteConflictException(ID, key, "secret '" + secretId + "'", currentId, now);
      }
      throw errors.map(e, "UpdateSecretVersionStage", "secret '" + secretId + "'",
          "secretsmanager:UpdateSecretVersionStage");
    } catch (SdkException e) {
      unstage(secretId, pending);
      throw errors.map(e, "UpdateSecretVersionStage", "secret '" + secretId + "'",
          "secretsmanager:UpdateSecretVersionStage");
    }
    unstage(secretId, pending);
    log.log(System.Logger.Level.INFO, "Secret ''{0}'': version {1} written for ''{2}'' and promoted to AWSCURRENT; "
        + "version {3} is AWSPREVIOUS{4}", secretId, pending, key, currentId,
        json ? " (other fields of this JSON secret unchanged)" : "");
    return listVersions(secretId).stream().filter(v -> v.id().equals(pending)).findFirst()
        .orElse(SecretVersion.of(pending, clock.instant(), Set.of(AWSCURRENT), true, SecretVersion.State.ENABLED));
  }

  private static void verifyOrRefuse(String key, SecretValue value, WriteOptions request, String secretId,
      String pending) {
    Optional<org.nexusreussite.secrets.SecretVerifier> verifier = request.verifier();
    if (verifier.isEmpty()) {
      return;
    }
    try {
      verifier.get().verify(key, value);
    } catch (RuntimeException refused) {
      throw VerificationFailedException.of(key, ID + " (secret '" + secretId + "')", pending,
          VerificationFailedException.Outcome.NOT_PROMOTED, VerificationFailedException.why(refused),
          VerificationFailedException.safeCause(refused));
    }
  }

  /** Takes AWSPENDING off a version; a failure is logged only: the label is harmless and moves on the next write. */
  private void unstage(String secretId, String versionId) {
    try {
      client.updateSecretVersionStage(r -> r.secretId(secretId).versionStage(AWSPENDING)
          .removeFromVersionId(versionId));
    } catch (SdkException e) {
      log.log(System.Logger.Level.WARNING, "Could not take AWSPENDING off version {0} of secret ''{1}'' ({2}); "
          + "it is harmless and moves to the next written version", versionId, secretId, e.getClass().getSimpleName());
    }
  }

  private List<SecretVersion> listVersions(String secretId) {
    List<SecretVersionsListEntry> entries = new ArrayList<>();
    Optional<Boolean> exists = call("ListSecretVersionIds", secretId, "secretsmanager:ListSecretVersionIds",
        () -> {
          for (ListSecretVersionIdsResponse page : client.listSecretVersionIdsPaginator(
              r -> r.secretId(secretId).includeDeprecated(true))) {
            entries.addAll(page.versions());
          }
          return true;
        });
    if (exists.isEmpty()) {
      return List.of();
    }
    // newest first by creation time; on equal times (moto stamps every entry alike) the later listed wins
    List<SecretVersionsListEntry> ordered = new ArrayList<>(entries);
    Collections.reverse(ordered);
    ordered.sort(Comparator.comparing(SecretVersionsListEntry::createdDate,
        Comparator.nullsLast(Comparator.reverseOrder())));
    List<SecretVersion> out = new ArrayList<>(ordered.size());
    for (SecretVersionsListEntry e : ordered) {
      List<String> stages = e.hasVersionStages() ? e.versionStages() : List.of();
      out.add(SecretVersion.of(e.versionId(), e.createdDate(), new LinkedHashSet<>(stages),
          stages.contains(AWSCURRENT), SecretVersion.State.ENABLED));
    }
    return Collections.unmodifiableList(out);
  }

  // ---------------------------------------------------------------- listing and health

  @Override
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    if (!secretIds.isEmpty()) {
      for (Read read : readCurrent(secretIds).values()) {
        for (String name : fieldsOf(read).keySet()) {
          if (Keys.isValid(name)) {
            keys.add(name);
          }
        }
      }
    }
    if (prefix != null) {
      call("ListSecrets", "secrets named '" + prefix + "*'", "secretsmanager:ListSecrets", () -> {
        // the name filter matches prefixes case-insensitively: check the exact prefix here
        for (ListSecretsResponse page : client.listSecretsPaginator(r -> r.filters(
            Filter.builder().key(FilterNameStringType.NAME).values(prefix).build()))) {
          for (SecretListEntry e : page.secretList()) {
            String name = e.name();
            if (name != null && name.startsWith(prefix) && Keys.isValid(name.substring(prefix.length()))) {
              keys.add(name.substring(prefix.length()));
            }
          }
        }
        return true;
      });
    }
    return Collections.unmodifiableSet(keys);
  }

  /**
   * Probes with {@code DescribeSecret} on the first JSON secret, or {@code ListSecrets} for the prefix;
   * neither reads a value. A missing secret or a missing describe/list permission still proves the
   * endpoint answered and accepted the credentials, so it counts as up.
   */
  @Override
  public BackendHealth health() {
    String operation = secretIds.isEmpty() ? "ListSecrets" : "DescribeSecret";
    String permission = "secretsmanager:" + operation;
    try {
      if (!secretIds.isEmpty()) {
        client.describeSecret(r -> r.secretId(secretIds.get(0)));
      } else {
        client.listSecrets(r -> r.maxResults(1)
            .filters(Filter.builder().key(FilterNameStringType.NAME).values(prefix).build()));
      }
      return BackendHealth.up(ID, where);
    } catch (AwsServiceException e) {
      String code = AwsErrors.code(e);
      if (code.equals("ResourceNotFoundException") || code.equals("AccessDeniedException")) {
        return BackendHealth.up(ID, where + "; probe " + operation + " answered " + code);
      }
      return BackendHealth.down(ID, messageOf(errors.map(e, operation, describe(), permission)));
    } catch (SdkException e) {
      return BackendHealth.down(ID, messageOf(errors.map(e, operation, describe(), permission)));
    } catch (RuntimeException e) {
      return BackendHealth.down(ID, "health probe failed with " + e.getClass().getName());
    }
  }

  /** A mapped error's message: ours always carry one; the type name stands in otherwise. */
  private static String messageOf(Exception e) {
    return Objects.toString(e.getMessage(), e.getClass().getSimpleName());
  }

  /** Closes the AWS client when this backend built it. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "AwsSecretBackend[" + describe() + ", " + where + "]";
  }

  // ---------------------------------------------------------------- AWS calls

  /** What one GetSecretValue returned. {@code toString()} leaves the text out. */
  private record Read(String secretId, String versionId, List<String> stages, Instant createdAt, String text) {
    @Override
    public String toString() {
      return "Read[" + secretId + ", " + versionId + "]";
    }
  }

  /** Where a key lives: a JSON-layout secret, or its own per-key secret. */
  private record Location(String secretId, boolean json) {}

  /**
   * The secret holding {@code key}'s current value: the first JSON secret holding the field, else the
   * per-key secret (whose existence the caller's next request settles). With {@code verify} false, a
   * single JSON secret without a prefix is returned without a request, for reads of a version that
   * check the field themselves.
   */
  private Optional<Location> locate(String key, boolean verify) {
    if (!verify && prefix == null && secretIds.size() == 1) {
      return Optional.of(new Location(secretIds.get(0), true));
    }
    for (String secretId : secretIds) {
      Optional<Read> read = read(secretId, VersionSelector.latest());
      if (read.isPresent() && fieldsOf(read.get()).containsKey(key)) {
        return Optional.of(new Location(secretId, true));
      }
    }
    if (prefix == null) {
      return Optional.empty();
    }
    // verified with a read rather than by listing versions: a listing of an unknown secret is a
    // ResourceNotFoundException in AWS but an HTTP 500 in moto
    if (verify && read(prefix + key, VersionSelector.latest()).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Location(prefix + key, false));
  }

  /** One version of one secret; empty when the secret or version does not exist or is deleted. */
  private Optional<Read> read(String secretId, VersionSelector selector) {
    GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(secretId);
    if (selector instanceof VersionSelector.Latest) {
      // explicit: moto (and a stale default version) would otherwise answer with the pre-rollback value
      request.versionStage(AWSCURRENT);
    } else if (selector instanceof VersionSelector.Previous) {
      request.versionStage(AWSPREVIOUS);
    } else if (selector instanceof VersionSelector.ByStage s) {
      request.versionStage(s.stage());
    } else if (selector instanceof VersionSelector.ById i) {
      if (!isVersionId(i.versionId())) {
        return Optional.empty(); // AWS version ids are 32 to 64 characters; anything else cannot exist
      }
      request.versionId(i.versionId());
    }
    GetSecretValueRequest built = request.build();
    return call("GetSecretValue", secretId, GET, () -> client.getSecretValue(built)).map(r -> toRead(secretId, r));
  }

  private static boolean isVersionId(String id) {
    if (id.length() < 32 || id.length() > 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * The current versions of several secrets, by the id asked for; absent ones left out. Uses
   * {@code BatchGetSecretValue} for two or more, in chunks of 20.
   */
  private Map<String, Read> readCurrent(List<String> ids) {
    Map<String, Read> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    if (ids.size() == 1 || !batchAllowed) {
      for (String id : ids) {
        read(id, VersionSelector.latest()).ifPresent(r -> out.put(id, r));
      }
      return out;
    }
    for (int from = 0; from < ids.size(); from += BATCH_LIMIT) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BATCH_LIMIT));
      if (!batchAllowed || !readBatch(chunk, out)) {
        for (String id : chunk) {
          read(id, VersionSelector.latest()).ifPresent(r -> out.put(id, r));
        }
      }
    }
    return out;
  }

  /** One BatchGetSecretValue; false when the call itself is not available to this caller. */
  private boolean readBatch(List<String> chunk, Map<String, Read> out) {
    BatchGetSecretValueResponse response;
    try {
      response = client.batchGetSecretValue(r -> r.secretIdList(chunk));
    } catch (AwsServiceException e) {
      if (batchUnavailable(e)) {
        batchAllowed = false;
        log.log(System.Logger.Level.INFO, "BatchGetSecretValue is not available ({0}); reading secrets one "
            + "request each. Grant secretsmanager:BatchGetSecretValue to read several secrets per request.",
            AwsErrors.code(e).isEmpty() ? "HTTP " + e.statusCode() : AwsErrors.code(e));
        return false;
      }
      throw errors.map(e, "BatchGetSecretValue", "secrets " + chunk, "secretsmanager:BatchGetSecretValue and "
          + GET);
    } catch (SdkException e) {
      throw errors.map(e, "BatchGetSecretValue", "secrets " + chunk, GET);
    }
    for (APIErrorType error : response.errors()) {
      String id = error.secretId();
      String code = error.errorCode() == null ? "" : error.errorCode();
      if (code.equals("ResourceNotFoundException")) {
        continue;
      }
      if (code.equals("InvalidRequestException") && id != null && scheduledForDeletion(id)) {
        continue;
      }
      AwsServiceException asException = AwsServiceException.builder()
          .message(error.message())
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode(code).errorMessage(error.message()).build())
          .build();
      throw errors.map(asException, "GetSecretValue", "secret '" + id + "'", GET);
    }
    for (SecretValueEntry entry : response.secretValues()) {
      String asked = chunk.stream().filter(id -> id.equals(entry.name()) || id.equals(entry.arn())).findFirst()
          .orElse(null);
      if (asked == null) {
        continue; // asked by partial ARN: the single read below settles it
      }
      List<String> stages = entry.hasVersionStages() ? entry.versionStages() : List.of();
      if (!stages.contains(AWSCURRENT)) {
        continue; // a batch answer that is not the current version (moto after a rollback): read it singly
      }
      out.put(asked, new Read(asked, entry.versionId(), stages, entry.createdDate(),
          textOf(asked, entry.secretString(), entry.secretBinary())));
    }
    for (String id : chunk) {
      if (!out.containsKey(id) && response.errors().stream().noneMatch(e -> id.equals(e.secretId()))) {
        read(id, VersionSelector.latest()).ifPresent(r -> out.put(id, r));
      }
    }
    return true;
  }

  private static boolean batchUnavailable(AwsServiceException e) {
    String code = AwsErrors.code(e);
    return code.equals("AccessDeniedException") || code.equals("UnknownOperationException")
        || code.equals("InvalidAction") || code.equals("NotImplemented") || e.statusCode() == 404
        || e.statusCode() == 501;
  }

  /**
   * Runs a call; a missing secret or version gives empty, a secret scheduled for deletion gives empty,
   * anything else becomes the SDK's exception for it.
   */
  private <T> Optional<T> call(String operation, String secretId, String permission, Supplier<T> call) {
    try {
      return Optional.of(call.get());
    } catch (AwsServiceException e) {
      if (AwsErrors.isNotFound(e)) {
        return Optional.empty();
      }
      if ("InvalidRequestException".equals(AwsErrors.code(e)) && scheduledForDeletion(secretId)) {
        log.log(System.Logger.Level.DEBUG, "Secret ''{0}'' is scheduled for deletion: treated as absent",
            secretId);
        return Optional.empty();
      }
      throw errors.map(e, operation, "secret '" + secretId + "'", permission);
    } catch (SdkException e) {
      throw errors.map(e, operation, "secret '" + secretId + "'", permission);
    }
  }

  /** Whether AWS refused a read because the secret is deleted (in its recovery window). */
  private boolean scheduledForDeletion(String secretId) {
    try {
      return client.describeSecret(r -> r.secretId(secretId)).deletedDate() != null;
    } catch (SdkException e) {
      return AwsErrors.isNotFound(e);
    }
  }

  private Read toRead(String secretId, GetSecretValueResponse r) {
    return new Read(secretId, r.versionId(), r.hasVersionStages() ? r.versionStages() : List.of(),
        r.createdDate(), textOf(secretId, r.secretString(), r.secretBinary()));
  }

  /** The string, or the binary decoded as strict UTF-8. */
  private static String textOf(String secretId, String string, SdkBytes binary) {
    if (string != null) {
      return string;
    }
    if (binary == null) {
      throw new InvalidSecretSourceException(ID, "secret '" + secretId + "'", 0,
          "the version has neither SecretString nor SecretBinary");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(binary.asByteArrayUnsafe())).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidSecretSourceException(ID, "secret '" + secretId + "'", 0,
          "SecretBinary is not UTF-8 text; store text secrets as SecretString or as UTF-8 bytes");
    }
  }

  private static Map<String, String> fieldsOf(Read read) {
    try {
      return JsonFields.parse(read.text());
    } catch (JsonFields.JsonProblem p) {
      throw new InvalidSecretSourceException(ID, "secret '" + read.secretId() + "' (version " + read.versionId()
          + ")", 0, "named in SECRETS_AWS_SECRET_ID, so it must hold a JSON object whose fields are the keys, "
          + "but " + p.getMessage() + ". Fix the secret's value, or read it with SECRETS_AWS_PREFIX instead");
    }
  }

  private Secret secret(String key, String value, Read read) {
    SecretVersion version = SecretVersion.of(read.versionId(), read.createdAt(), new LinkedHashSet<>(read.stages()),
        read.stages().contains(AWSCURRENT), SecretVersion.State.ENABLED);
    return Secret.of(key, SecretValue.of(value), version, ID, clock.instant());
  }

  /** Builds an {@link AwsSecretBackend}. Not thread-safe. */
  public static final class Builder {
    private @Nullable SecretsManagerClient client;
    private boolean ownsClient;
    private List<String> secretIds = List.of();
    private @Nullable String prefix;
    private Clock clock = Clock.systemUTC();
    private String where = "AWS Secrets Manager";
    private int maxAttempts = 3;

    private Builder() {}

    /** The client to use; the caller keeps ownership and closes it. */
    public Builder client(SecretsManagerClient client) {
      this.client = Objects.requireNonNull(client, "client");
      this.ownsClient = false;
      return this;
    }

    /** Used by the provider for a client the backend closes. */
    Builder ownedClient(SecretsManagerClient client) {
      this.client = Objects.requireNonNull(client, "client");
      this.ownsClient = true;
      return this;
    }

    /** JSON-layout secrets (names or ARNs), earlier ones winning when several hold a key. */
    public Builder secretIds(List<String> ids) {
      for (String id : Objects.requireNonNull(ids, "ids")) {
        if (id == null || id.isBlank()) {
          throw new IllegalArgumentException("secret ids must not be blank");
        }
      }
      this.secretIds = List.copyOf(ids);
      return this;
    }

    /** The per-key layout's name prefix, e.g. {@code nexus-reussite/}. */
    public Builder prefix(String prefix) {
      if (prefix == null || prefix.isBlank()) {
        throw new IllegalArgumentException("prefix must not be blank");
      }
      this.prefix = prefix;
      return this;
    }

    /** The clock that stamps fetches (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How the endpoint is named in messages, e.g. {@code region eu-west-1}. */
    public Builder describedAs(String where) {
      this.where = Objects.requireNonNull(where, "where");
      return this;
    }

    /** The attempts the client makes per call, as stated in messages (default 3, the SDK's standard). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Builds the backend.
     *
     * @throws IllegalStateException without a client, or with neither secret ids nor a prefix
     */
    public AwsSecretBackend build() {
      if (client == null) {
        throw new IllegalStateException("client is required");
      }
      if (secretIds.isEmpty() && prefix == null) {
        throw new IllegalStateException("set secretIds (JSON layout) or prefix (one secret per key)");
      }
      return new AwsSecretBackend(this);
    }
  }
}
