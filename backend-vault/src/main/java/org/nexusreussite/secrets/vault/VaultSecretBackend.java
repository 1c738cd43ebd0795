package org.nexusreussite.secrets.vault;

import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.support.OrderedSources;
import org.nexusreussite.secrets.vault.internal.JsonFields;
import org.nexusreussite.secrets.vault.internal.VaultHttp;
import org.nexusreussite.secrets.vault.internal.VaultSession;

/**
 * Secrets from HashiCorp Vault or OpenBao KV engines: each configured path is a secret whose fields
 * are the keys ({@code secret/nexus-reussite} holding {@code DATABASE_URL}, {@code JWT_SECRET_KEY}, ...);
 * with several paths the earlier one wins.
 *
 * <p>One read of a path serves all its fields, so {@link #fetchAll(Collection)} costs one request per
 * path however many keys it asks for. The KV engine version (1 or 2) is detected per path with
 * {@code sys/internal/ui/mounts/<path>}, which unprivileged tokens may call, unless
 * {@code SECRETS_VAULT_KV_VERSION} forces it.
 *
 * <p>Versions (KV v2 only): Vault versions a <em>path</em>, not a field, so a key's versions are the
 * versions of the path that holds it; a version in which the key was absent reads as empty. Deleted and
 * destroyed versions are listed with their {@link SecretVersion.State} and never served.
 * {@link #rollback(String, SecretVersion)} writes the old version's data (every field of the path, as
 * {@code vault kv rollback} does) back as a new version with check-and-set on the version it saw as
 * current, so a concurrent writer is reported with {@link VaultRollbackConflictException} rather than
 * overwritten. Vault has no version stages: {@link VersionSelector.ByStage} reads as empty.
 *
 * <p>A lease ({@code lease_duration}, e.g. a KV v1 {@code ttl} field) becomes {@link Secret#ttl()}, which
 * shortens the resolver's refresh of that secret. The backend caches no values. Thread-safe.
 */
public final class VaultSecretBackend implements SecretBackend {

  /** Where a path lives: its mount, the part after the mount, and the engine version. */
  record KvPath(String logical, String mount, String relative, int version) {
    String dataPath() {
      return encodePath(version == 2 ? mount + "data/" + relative : logical);
    }

    String metadataPath() {
      return encodePath(mount + "metadata/" + relative);
    }
  }

  /** One read of a path: its fields (as served) and raw data (for rollback), version and lease. */
  private record PathRead(KvPath path, Map<String, String> fields, JsonObject rawData, long version,
      @Nullable Instant createdAt, Duration ttl) {}

  private final String id;
  private final VaultOptions options;
  private final VaultHttp http;
  private final VaultSession session;
  private final Clock clock;
  private final System.Logger log;
  private final ConcurrentMap<String, KvPath> mounts = new ConcurrentHashMap<>();
  private final Set<Capability> capabilities;
  private final DynamicCredentials dynamic;
  private volatile boolean closed;

  private static final Set<Capability> WITH_HISTORY =
      Set.copyOf(EnumSet.of(Capability.VERSIONS, Capability.ROLLBACK, Capability.LISTING, Capability.WRITE));
  private static final Set<Capability> LISTING_ONLY = Set.of(Capability.LISTING);

  private VaultSecretBackend(VaultOptions options, VaultDynamicOptions dynamicOptions, BackendContext context) {
    this.id = context.backendId();
    this.options = options;
    this.http = new VaultHttp(id, options);
    this.clock = context.clock();
    this.log = context.logger();
    this.session = new VaultSession(id, http, options.auth(), context.scheduler(), clock, log);
    this.capabilities = options.kvVersion() == 1 ? LISTING_ONLY : WITH_HISTORY;
    // a dynamic credentials read creates a database user: never sent twice by the transport (a reply lost after
    // Vault created one would leave a lease nobody knows to revoke); the lease steps retry with back-off instead
    this.dynamic = new DynamicCredentials(id, http,
        (method, apiPath, body, logicalPath) -> call(method, apiPath, body, logicalPath, "PUT".equals(method)),
        context.scheduler(), clock, log, dynamicOptions);
  }

  /**
   * A backend for {@code options}, using the context's scheduler (token renewal), clock and logger.
   * Does not contact Vault: the first read logs in.
   *
   * @throws org.nexusreussite.secrets.BackendConfigurationException when the CA certificate cannot be loaded
   */
  public static VaultSecretBackend create(VaultOptions options, BackendContext context) {
    return new VaultSecretBackend(options, VaultDynamicOptions.none(), context);
  }

  /**
   * A backend that also serves Vault dynamic secrets ({@link VaultDynamicOptions}): their keys come from
   * leases it renews, replaces and revokes, and it tells the resolver (capability WATCH) when new
   * credentials are served. Does not contact Vault: the first read of a dynamic key reads its lease.
   */
  public static VaultSecretBackend create(VaultOptions options, VaultDynamicOptions dynamic,
      BackendContext context) {
    return new VaultSecretBackend(options, Objects.requireNonNull(dynamic, "dynamic"), context);
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * {@link Capability#VERSIONS}, {@link Capability#ROLLBACK}, {@link Capability#WRITE} and
   * {@link Capability#LISTING} while every path is on a KV v2 mount; only listing when {@code SECRETS_VAULT_KV_VERSION=1} or once a path has been
   * detected on a KV v1 mount (which keeps no history: its version questions throw
   * {@link UnsupportedCapabilityException}). Asks nothing: mounts are detected by the first read of each path,
   * and until then the answer is what the configuration allows.
   */
  @Override
  public Set<Capability> capabilities() {
    Set<Capability> kv = kvCapabilities();
    if (dynamic.isEmpty()) {
      return kv;
    }
    // dynamic credentials are pushed: the backend tells the resolver when it has read new ones
    EnumSet<Capability> all = EnumSet.of(Capability.WATCH);
    all.addAll(kv);
    return Set.copyOf(all);
  }

  private Set<Capability> kvCapabilities() {
    if (capabilities == LISTING_ONLY) {
      return capabilities;
    }
    for (KvPath kv : mounts.values()) {
      if (kv.version() != 2) {
        return LISTING_ONLY;
      }
    }
    return capabilities;
  }

  @Override
  public String describe() {
    return id + "[" + String.join(",", options.paths()) + (dynamic.isEmpty() ? "" : "," + dynamic.describe()) + "]";
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    Keys.requireValid(key);
    if (version instanceof VersionSelector.Latest) {
      return Optional.ofNullable(fetchAll(List.of(key)).get(key));
    }
    if (dynamic.owns(key)) {
      return Optional.empty(); // a lease has no history: only the current credentials exist
    }
    if (version instanceof VersionSelector.ByStage) {
      return Optional.empty(); // Vault has no stage labels
    }
    PathRead holder = holderOf(key);
    if (holder == null) {
      return Optional.empty();
    }
    if (holder.path().version() == 1) {
      // KV v1 keeps one version, whose id is a per-process content id (SecretVersion.ofContent)
      if (version instanceof VersionSelector.ById byId) {
        Secret current = secretOf(key, holder, true);
        return current.version().id().equals(byId.versionId()) ? Optional.of(current) : Optional.empty();
      }
      return Optional.empty();
    }
    long wanted;
    if (version instanceof VersionSelector.ById byId) {
      wanted = parseVersion(byId.versionId());
    } else {
      wanted = previousVersion(holder);
    }
    if (wanted <= 0) {
      return Optional.empty();
    }
    if (wanted == holder.version()) {
      return Optional.of(secretOf(key, holder, true));
    }
    PathRead old = read(holder.path(), wanted);
    if (old == null || !old.fields().containsKey(key)) {
      return Optional.empty();
    }
    return Optional.of(secretOf(key, old, false));
  }

  /**
   * One read per path, in order, until every key is found; a key takes the value of the first path holding
   * it. Each read returns all of its path's fields, so the other fields that read carried come back too
   * (siblings the resolver may cache: the quickstart's 8 keys on one path cost one GET), unless an earlier
   * path holds them.
   */
  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    ensureOpen();
    if (!dynamic.isEmpty()) {
      Map<String, Secret> out = new LinkedHashMap<>(dynamic.fetchAll(keys));
      List<String> rest = new ArrayList<>();
      for (String k : keys) {
        if (!dynamic.owns(k)) {
          rest.add(k);
        }
      }
      if (!rest.isEmpty()) {
        kvFetchAll(rest).forEach(out::putIfAbsent);
      }
      return out;
    }
    return kvFetchAll(keys);
  }

  private Map<String, Secret> kvFetchAll(Collection<String> keys) {
    return OrderedSources.fetchAll(options.paths(), keys, OrderedSources.Siblings.KEEP, (path, wanted) -> {
      KvPath kv = kvPath(path);
      PathRead r = kv == null ? null : read(kv, 0);
      if (r == null) {
        return Map.of();
      }
      Map<String, Secret> all = new LinkedHashMap<>();
      for (String field : r.fields().keySet()) {
        if (Keys.isValid(field)) {
          all.put(field, secretOf(field, r, true));
        }
      }
      return all;
    });
  }

  /** The field names of every path (the current version of each). */
  @Override
  public Set<String> keys() {
    ensureOpen();
    Set<String> out = new LinkedHashSet<>(dynamic.keys());
    for (String path : options.paths()) {
      KvPath kv = kvPath(path);
      PathRead r = kv == null ? null : read(kv, 0);
      if (r != null) {
        out.addAll(r.fields().keySet());
      }
    }
    return out;
  }

  /**
   * The versions of the path that holds {@code key}, newest first, from the KV v2 metadata.
   *
   * @throws UnsupportedCapabilityException when that path is on a KV v1 mount
   */
  @Override
  public List<SecretVersion> versions(String key) {
    Keys.requireValid(key);
    PathRead holder = holderOf(key);
    if (holder == null) {
      return List.of();
    }
    requireV2(holder.path());
    Metadata meta = metadata(holder.path());
    return meta == null ? List.of() : meta.versions();
  }

  private record Metadata(long current, List<SecretVersion> versions) {}

  private @Nullable Metadata metadata(KvPath kv) {
    return shaped(kv.metadataPath(), () -> metadataAnswer(kv));
  }

  private @Nullable Metadata metadataAnswer(KvPath kv) {
    String apiPath = kv.metadataPath();
    VaultHttp.Response r = call("GET", apiPath, null, kv.logical());
    if (r.status() == 404) {
      return null;
    }
    requireOk(r, "GET", apiPath);
    JsonObject data = object(http.json(r, "GET", apiPath).get("data"));
    if (data == null) {
      throw malformed("GET", apiPath, "no 'data' object");
    }
    long current = JsonFields.longOr(data, "current_version", 0);
    JsonObject versions = object(data.get("versions"));
    List<SecretVersion> out = new ArrayList<>();
    if (versions != null) {
      for (String name : versions.names()) {
        long n = parseVersion(name);
        JsonObject v = object(versions.get(name));
        if (n <= 0 || v == null) {
          continue;
        }
        SecretVersion.State state = SecretVersion.State.ENABLED;
        if (JsonFields.boolOr(v, "destroyed", false)) {
          state = SecretVersion.State.DESTROYED;
        } else {
          // a future deletion_time (delete_version_after) is not a deletion yet; the server's time is real time
          Instant deletion = instant(JsonFields.stringOr(v, "deletion_time", ""));
          if (deletion != null && !deletion.isAfter(Instant.now())) {
            state = SecretVersion.State.DELETED;
          }
        }
        out.add(SecretVersion.of(Long.toString(n), instant(JsonFields.stringOr(v, "created_time", "")), Set.of(),
            n == current, state));
      }
    }
    out.sort((a, b) -> Long.compare(Long.parseLong(b.id()), Long.parseLong(a.id())));
    return new Metadata(current, List.copyOf(out));
  }

  private long previousVersion(PathRead holder) {
    Metadata meta = metadata(holder.path());
    if (meta == null) {
      return 0;
    }
    boolean pastCurrent = false;
    for (SecretVersion v : meta.versions()) {
      if (pastCurrent && v.state().servable()) {
        return Long.parseLong(v.id());
      }
      if (Long.parseLong(v.id()) == holder.version()) {
        pastCurrent = true;
      }
    }
    return 0;
  }

  // ---------------------------------------------------------------- rollback

  /**
   * Writes {@code toVersion}'s data back as a new version of the path holding {@code key}, with
   * check-and-set on the version current when the rollback started. Every field of the path takes its
   * value from {@code toVersion}: Vault versions the path, not the field.
   *
   * @throws VaultRollbackConflictException when someone else wrote the path meanwhile
   * @throws SecretNotFoundException when the key or the version does not exist, or the version is not servable
   * @throws UnsupportedCapabilityException when the path is on a KV v1 mount
   */
  @Override
  public SecretVersion rollback(String key, SecretVersion toVersion) {
    Keys.requireValid(key);
    PathRead holder = holderOf(key);
    if (holder == null) {
      throw new SecretNotFoundException(key, "Secret '" + key + "'", List.of(describe()));
    }
    KvPath kv = holder.path();
    requireV2(kv);
    Metadata meta = metadata(kv);
    long target = parseVersion(toVersion.id());
    PathRead old = target <= 0 ? null : read(kv, target);
    if (meta == null || old == null) {
      throw new SecretNotFoundException(key, "Version " + toVersion.id() + " of '" + key + "' (Vault path "
          + kv.logical() + ", deleted and destroyed versions cannot be restored)", List.of(describe()));
    }
    long expected = meta.current();
    JsonObject body = new JsonObject();
    body.add("options", new JsonObject().add("cas", expected));
    body.add("data", old.rawData());
    String apiPath = kv.dataPath();
    VaultHttp.Response r = call("POST", apiPath, body.toString(), kv.logical());
    if (r.status() == 400 && http.errorsOf(r).contains("check-and-set")) {
      Metadata now = metadata(kv);
      throw new VaultRollbackConflictException(id, key, kv.logical(), expected, now == null ? 0 : now.current());
    }
    requireOk(r, "POST", apiPath);
    JsonObject data = object(http.json(r, "POST", apiPath).get("data"));
    long written = data == null ? 0 : JsonFields.longOr(data, "version", 0);
    Set<String> others = new LinkedHashSet<>(old.fields().keySet());
    others.remove(key);
    log.log(System.Logger.Level.INFO, "Vault path {0} rolled back to the data of version {1} as version {2} "
        + "(for ''{3}''; fields restored with it: {4})", kv.logical(), target, written, key, others);
    return SecretVersion.of(Long.toString(written),
        data == null ? null : instant(JsonFields.stringOr(data, "created_time", "")),
        Set.of(), true, SecretVersion.State.ENABLED);
  }

  // ---------------------------------------------------------------- write

  /**
   * Writes {@code value} into the field {@code key} of the path holding it (a new key: the first configured
   * path, with {@link WriteOptions#createIfMissing()}), as a new version of the path with check-and-set on
   * the version read, so a concurrent writer makes Vault refuse this write. The other fields of the path are
   * written unchanged. KV v1 is refused: it has no check-and-set, so a write could silently undo a concurrent
   * one (last writer wins); use a KV v2 mount.
   *
   * @throws WriteConflictException when the path's current version is not the expected one
   * @throws UnsupportedCapabilityException when the path is on a KV v1 mount
   */
  @Override
  public SecretVersion write(String key, SecretValue value, WriteOptions request) {
    Keys.requireValid(key);
    PathRead holder = holderOf(key);
    KvPath kv;
    if (holder != null) {
      kv = holder.path();
    } else if (!request.createIfMissing()) {
      throw new SecretNotFoundException(key, "Secret '" + key + "'", List.of(describe()));
    } else {
      String first = options.paths().get(0);
      KvPath detected = kvPath(first);
      if (detected == null) {
        throw new SecretNotFoundException(key, "A KV mount for Vault path " + first + " (to create '" + key + "')",
            List.of(describe()));
      }
      kv = detected;
    }
    if (kv.version() != 2) {
      throw UnsupportedCapabilityException.of(id, Capability.WRITE, "Vault path " + kv.logical() + " is on a KV v1 "
          + "mount, which has no check-and-set: a write could silently undo a concurrent one. Use a KV v2 mount");
    }
    PathRead current = holder != null ? holder : read(kv, 0);
    long seen;
    if (current != null) {
      seen = current.version();
    } else {
      Metadata meta = metadata(kv); // the path may exist with its current version deleted
      seen = meta == null ? 0 : meta.current();
    }
    String expected = request.expectedVersion().orElse(null);
    if (expected != null && !expected.equals(Long.toString(seen))) {
      throw new WriteConflictException(id, key, "Vault path " + kv.logical(), expected,
          seen == 0 ? null : Long.toString(seen));
    }
    JsonObject data = new JsonObject();
    if (current != null) {
      for (JsonObject.Member m : current.rawData()) {
        data.add(m.getName(), m.getValue());
      }
    }
    data.set(key, value.reveal());
    JsonObject body = new JsonObject();
    // cas=0 means "only if the path does not exist yet": Vault's own rule
    body.add("options", new JsonObject().add("cas", seen));
    body.add("data", data);
    String apiPath = kv.dataPath();
    VaultHttp.Response r = call("POST", apiPath, body.toString(), kv.logical());
    if (r.status() == 400 && http.errorsOf(r).contains("check-and-set")) {
      Metadata now = metadata(kv);
      throw new WriteConflictException(id, key, "Vault path " + kv.logical(), seen == 0 ? null : Long.toString(seen),
          now == null || now.current() == 0 ? null : Long.toString(now.current()));
    }
    requireOk(r, "POST", apiPath);
    JsonObject answer = object(http.json(r, "POST", apiPath).get("data"));
    long written = answer == null ? 0 : JsonFields.longOr(answer, "version", 0);
    log.log(System.Logger.Level.INFO, "Vault path {0}: ''{1}'' written as version {2} (after version {3}; other "
        + "fields unchanged)", kv.logical(), key, written, seen);
    return SecretVersion.of(Long.toString(written),
        answer == null ? null : instant(JsonFields.stringOr(answer, "created_time", "")),
        Set.of(), true, SecretVersion.State.ENABLED);
  }

  // ---------------------------------------------------------------- health and lifecycle

  /** {@code sys/health}: UP when active or standby, DOWN when sealed, uninitialised or unreachable. */
  /** DEGRADED while the token cannot be renewed or replaced by a new login: reads work until it expires. */
  @Override
  public Optional<BackendHealth> reportedState() {
    Optional<DynamicCredentials.Problem> leaseProblem = dynamic.problem();
    if (leaseProblem.isPresent()) {
      String problem = leaseProblem.get().message();
      // DEGRADED while the current credentials still work; DOWN once they have expired
      BackendHealth.Status status = leaseProblem.get().expired() ? BackendHealth.Status.DOWN
          : BackendHealth.Status.DEGRADED;
      return Optional.of(BackendHealth.of(id, status, "Vault at " + http.address() + ": " + problem, null, null,
          problem));
    }
    return session.renewalProblem().map(problem -> BackendHealth.of(id, BackendHealth.Status.DEGRADED,
        "Vault at " + http.address() + ": " + problem, null, null, problem));
  }

  @Override
  public BackendHealth health() {
    try {
      VaultHttp.Response r = http.send("GET", "sys/health?standbyok=true&perfstandbyok=true", null, null, false);
      return switch (r.status()) {
        case 200 -> BackendHealth.up(id, "active, unsealed at " + http.address());
        case 429, 472, 473 -> BackendHealth.up(id, "standby, unsealed at " + http.address());
        case 503 -> BackendHealth.down(id, "Vault at " + http.address() + " is sealed");
        case 501 -> BackendHealth.down(id, "Vault at " + http.address() + " is not initialised");
        default -> BackendHealth.down(id, "Vault at " + http.address() + " health answered " + r.status());
      };
    } catch (RuntimeException e) {
      return BackendHealth.down(id, Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
    }
  }

  /**
   * Dynamic credentials only: the resolver is told when a lease is replaced.
   *
   * @throws UnsupportedCapabilityException when no dynamic path is configured
   */
  @Override
  public void watch(org.nexusreussite.secrets.spi.BackendChangeListener listener) {
    if (dynamic.isEmpty()) {
      throw UnsupportedCapabilityException.of(id, Capability.WATCH);
    }
    dynamic.watch(listener);
  }

  /** The token session (renewal counts, login counts), for diagnostics. */
  VaultSession session() {
    return session;
  }

  /** Requests sent to Vault so far, retries included. */
  public long requestCount() {
    return http.requestCount();
  }

  /** Stops token renewal. Idempotent. */
  @Override
  public void close() {
    closed = true;
    dynamic.close(); // revokes its leases while the token still works
    session.close();
    http.close();
  }

  @Override
  public String toString() {
    return "VaultSecretBackend[" + http.address() + ", paths=" + options.paths() + ", auth="
        + options.auth().method() + "]";
  }

  // ---------------------------------------------------------------- helpers

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("This Vault backend is closed");
    }
  }

  /** The first path whose current version holds {@code key}, read; or null. */
  private @Nullable PathRead holderOf(String key) {
    ensureOpen();
    for (String path : options.paths()) {
      KvPath kv = kvPath(path);
      PathRead r = kv == null ? null : read(kv, 0);
      if (r != null && r.fields().containsKey(key)) {
        return r;
      }
    }
    return null;
  }

  private void requireV2(KvPath kv) {
    if (kv.version() != 2) {
      throw UnsupportedCapabilityException.of(id, Capability.VERSIONS, "Vault path " + kv.logical()
          + " is on a KV v1 mount, which keeps no history; use a KV v2 mount for versions and rollback");
    }
  }

  /** The mount and engine version of a path, detected once; null when no mount serves it. */
  @Nullable KvPath kvPath(String logical) {
    KvPath known = mounts.get(logical);
    if (known != null) {
      return known;
    }
    KvPath detected = detect(logical);
    if (detected != null) {
      mounts.put(logical, detected);
    }
    return detected;
  }

  private @Nullable KvPath detect(String logical) {
    return shaped("sys/internal/ui/mounts/" + encodePath(logical), () -> detectAnswer(logical));
  }

  private @Nullable KvPath detectAnswer(String logical) {
    if (options.kvVersion() != 0) {
      int slash = logical.indexOf('/');
      return new KvPath(logical, logical.substring(0, slash + 1), logical.substring(slash + 1),
          options.kvVersion());
    }
    String apiPath = "sys/internal/ui/mounts/" + encodePath(logical);
    VaultHttp.Response r = call("GET", apiPath, null, logical);
    if (r.status() == 404 || r.status() == 400) {
      return null; // no mount at that path: nothing there
    }
    requireOk(r, "GET", apiPath);
    JsonObject data = object(http.json(r, "GET", apiPath).get("data"));
    String mount = data == null ? null : JsonFields.stringOr(data, "path", null);
    if (data == null || mount == null || mount.isEmpty()
        || !logical.startsWith(mount.endsWith("/") ? mount : mount + "/")) {
      throw malformed("GET", apiPath, "no mount path for " + logical);
    }
    if (!mount.endsWith("/")) {
      mount = mount + "/";
    }
    String type = JsonFields.stringOr(data, "type", "");
    JsonObject mountOptions = object(data.get("options"));
    String version = mountOptions == null ? null : JsonFields.stringOr(mountOptions, "version", null);
    int kv = "kv".equals(type) && "2".equals(version) ? 2 : 1;
    log.log(System.Logger.Level.DEBUG, "Vault path {0}: mount {1}, type {2}, KV v{3}", logical, mount, type, kv);
    return new KvPath(logical, mount, logical.substring(mount.length()), kv);
  }

  /** Reads a path (version 0 = current); null on 404 (absent, deleted or destroyed). */
  private @Nullable PathRead read(KvPath kv, long version) {
    return shaped(kv.dataPath(), () -> readAnswer(kv, version));
  }

  /**
   * Runs the reading of an answer. minimal-json's type errors quote the value they met ({@code Not a number:
   * "..."}), which may be store text: such an answer is reported by path and shape only, without the cause.
   */
  private <T extends @Nullable Object> T shaped(String apiPath, java.util.function.Supplier<T> reading) {
    try {
      return reading.get();
    } catch (UnsupportedOperationException | NumberFormatException e) {
      throw malformed("GET", apiPath, "a field of an unexpected type (" + e.getClass().getSimpleName() + ")");
    }
  }

  private @Nullable PathRead readAnswer(KvPath kv, long version) {
    String apiPath = kv.dataPath() + (version > 0 ? "?version=" + version : "");
    VaultHttp.Response r = call("GET", apiPath, null, kv.logical());
    if (r.status() == 404) {
      return null;
    }
    requireOk(r, "GET", apiPath);
    JsonObject body = http.json(r, "GET", apiPath);
    Duration ttl = Duration.ofSeconds(Math.max(0, JsonFields.longOr(body, "lease_duration", 0)));
    JsonObject data = object(body.get("data"));
    if (data == null) {
      throw malformed("GET", apiPath, "no 'data' object");
    }
    long number = 0;
    Instant created = null;
    JsonObject fieldsObject = data;
    if (kv.version() == 2) {
      fieldsObject = object(data.get("data"));
      JsonObject meta = object(data.get("metadata"));
      if (fieldsObject == null || meta == null) {
        return null; // a deleted version can answer 200 with null data on some servers
      }
      number = JsonFields.longOr(meta, "version", 0);
      created = instant(JsonFields.stringOr(meta, "created_time", ""));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (JsonObject.Member m : fieldsObject) {
      JsonValue v = m.getValue();
      if (v == null || v.isNull()) {
        continue;
      }
      fields.put(m.getName(), v.isString() ? v.asString() : v.toString());
    }
    return new PathRead(kv, Map.copyOf(fields), fieldsObject, number, created, ttl);
  }

  private Secret secretOf(String key, PathRead r, boolean current) {
    // callers pass only a read holding the key (holderOf and the version read check containsKey)
    SecretValue value = SecretValue.of(Objects.requireNonNull(r.fields().get(key), "the read holds the key"));
    SecretVersion version = r.path().version() == 2
        ? SecretVersion.of(Long.toString(r.version()), r.createdAt(), Set.of(), current, SecretVersion.State.ENABLED)
        : SecretVersion.ofContent(value);
    return new Secret(key, value, version, id, clock.instant(), r.ttl());
  }

  /**
   * Sends a request with the session token; on a 403 whose token turns out to be gone, logs in again and
   * retries once. A remaining 401/403 becomes the authentication error.
   */
  private VaultHttp.Response call(String method, String apiPath, @Nullable String body, String logicalPath) {
    return call(method, apiPath, body, logicalPath, !"POST".equals(method));
  }

  private VaultHttp.Response call(String method, String apiPath, @Nullable String body, String logicalPath,
      boolean retry) {
    String token = session.token();
    VaultHttp.Response r = http.send(method, apiPath, token, body, retry);
    if ((r.status() == 403 || r.status() == 401) && session.reauthenticateIfTokenGone(token)) {
      r = http.send(method, apiPath, session.token(), body, retry);
    }
    if (r.status() == 403 || r.status() == 401) {
      // a policy grants API paths (secret/data/app for KV v2), not the logical path a person configured
      int query = apiPath.indexOf('?');
      String granted = query < 0 ? apiPath : apiPath.substring(0, query);
      throw new BackendAuthenticationException(id, "Failed to authenticate with Vault: permission denied on "
          + logicalPath + " (API path " + granted + "); check VAULT_TOKEN validity and that the token's policies "
          + "grant '" + policyCapability(method) + "' on " + granted);
    }
    if (r.status() >= 500 || r.status() == 429) {
      // only reached for unretried requests: report them as the retried path would
      throw new BackendUnavailableException(id, "Vault at " + http.address() + " answered " + r.status() + " on "
          + method + " /v1/" + apiPath + "; check the server's health (sealed, standby or overloaded)");
    }
    return r;
  }

  /** The policy capability a request needs: GET is {@code read}, LIST {@code list}, a write {@code update}. */
  private static String policyCapability(String method) {
    return switch (method) {
      case "GET" -> "read";
      case "LIST" -> "list";
      case "DELETE" -> "delete";
      default -> "update";
    };
  }

  private void requireOk(VaultHttp.Response r, String method, String apiPath) {
    if (r.status() / 100 != 2) {
      // Vault's error texts name paths and reasons, not values; still, only read answers are quoted
      String errors = "GET".equals(method) ? http.errorsOf(r) : "";
      throw new BackendUnavailableException(id, "Vault at " + http.address() + " answered " + r.status() + " on "
          + method + " /v1/" + apiPath + (errors.isEmpty() ? "" : ": " + errors)
          + "; check the path and the server's logs");
    }
  }

  private SecretsException malformed(String method, String apiPath, String problem) {
    return new BackendUnavailableException(id, "Vault at " + http.address() + " answered " + method + " /v1/"
        + apiPath + " with an unexpected shape (" + problem + "); check that " + VaultOptions.ADDR
        + " points at Vault and the path at a KV engine");
  }

  private static long parseVersion(String id) {
    if (id == null || id.isEmpty() || id.length() > 18) {
      return 0;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return 0;
      }
    }
    return Long.parseLong(id);
  }

  private static @Nullable Instant instant(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static @Nullable JsonObject object(@Nullable JsonValue v) {
    return v != null && v.isObject() ? v.asObject() : null;
  }

  /** Encodes each segment of a path, keeping the slashes. */
  private static String encodePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }
}
