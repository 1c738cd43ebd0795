package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.spi.support.Addresses;
import org.nexusreussite.secrets.spi.support.StoreCauses;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.BackendChangeListener;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.support.CurrentVersionOnly;
import org.nexusreussite.secrets.spi.support.OrderedSources;

/**
 * Secret objects read through the Kubernetes API ({@link K8sApi}: fabric8's HTTP client and model). Several
 * Secrets may be named; the first that holds a key wins. A key is a data key of the Secret ({@code data},
 * base64, and {@code stringData}, which wins as the API server would merge it), found by exact name or by the
 * usual mapping ({@code DATABASE_URL} finds {@code database-url}).
 *
 * <p>The version of a value is the Secret's {@code resourceVersion} at which this process first saw
 * that value (see {@link VersionMemory}). A {@link SecretWatch} per Secret turns updates and deletions into change
 * notifications; it lists and watches again by itself after a disconnect.
 *
 * <p>Thread-safe. Values are not cached here: every fetch is one GET per Secret asked.
 */
final class K8sSecretBackend implements SecretBackend {
  static final String ID = "k8s";

  private final K8sApi api;
  private final String namespace;
  private final List<String> secretNames;
  private final boolean trimNewline;
  private final Clock clock;
  private final java.time.Duration callTimeout;
  private final @Nullable AnswerCap cap;
  private final System.Logger log;
  private final VersionMemory versionMemory = new VersionMemory();
  private final List<BackendChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, String>> lastSeen = new ConcurrentHashMap<>();
  private static final Pattern REFUSED_VERB = Pattern.compile("cannot (get|list|watch) resource");
  /** Per Secret: the problems already logged, so that each is logged once until the watch recovers. */
  private final Map<String, Set<String>> reportedWatchFailures = new ConcurrentHashMap<>();
  /** Per Secret: the last failure of its watch, until it watches again. */
  private final Map<String, String> watchFailures = new ConcurrentHashMap<>();
  private final Map<String, SecretWatch> watches = new LinkedHashMap<>();
  /** The watches' list and reconnect thread, made by the first {@link #watch}. Guarded by this. */
  private @Nullable ScheduledExecutorService watchThread;
  private boolean closed;

  /**
   * @param api the API, closed with this backend (it closes only an HTTP client it built itself)
   * @param callTimeout the total deadline of each read
   * @param cap the size cap installed in the API's HTTP client, or null when the client came from the caller
   */
  K8sSecretBackend(K8sApi api, String namespace, List<String> secretNames,
      boolean trimNewline, Clock clock, System.Logger log, java.time.Duration callTimeout, @Nullable AnswerCap cap) {
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    this.cap = cap;
    this.api = Objects.requireNonNull(api, "api");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.secretNames = List.copyOf(secretNames);
    this.trimNewline = trimNewline;
    this.clock = clock;
    this.log = log;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.LISTING, Capability.WATCH, Capability.WRITE);
  }

  @Override
  public String describe() {
    return ID + "[" + namespace + "/" + String.join(",", secretNames) + "]";
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Secret> fetch(String key, VersionSelector selector) {
    Keys.requireValid(key);
    for (String name : secretNames) {
      Optional<Secret> found = read(name).flatMap(object -> find(object, name, key));
      if (found.isPresent()) {
        return Optional.of(select(found.get(), selector));
      }
    }
    return Optional.empty();
  }

  /** One GET per Secret object for all the keys it holds; the first Secret holding a key wins. */
  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    keys.forEach(Keys::requireValid);
    return OrderedSources.fetchAll(secretNames, keys, OrderedSources.Siblings.DROP, (name, wanted) -> {
      Map<String, Secret> found = new LinkedHashMap<>();
      read(name).ifPresent(object -> {
        for (String key : wanted) {
          find(object, name, key).ifPresent(s -> found.put(key, s));
        }
      });
      return found;
    });
  }

  @Override
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (String name : secretNames) {
      read(name).ifPresent(object -> entries(object, name).keySet().stream().filter(Keys::isValid)
          .forEach(keys::add));
    }
    return keys;
  }

  private Secret select(Secret current, VersionSelector selector) {
    return CurrentVersionOnly.select(ID, current, selector,
        "a Kubernetes Secret keeps only its current value (resourceVersion " + current.version().id()
            + "); use a store with history such as Vault KV v2 for older versions");
  }

  private Optional<io.fabric8.kubernetes.api.model.Secret> read(String name) {
    try {
      return Optional.ofNullable(CallDeadline.run(callTimeout,
          () -> api.get(namespace, name).orElse(null)));
    } catch (CallDeadline.Exceeded e) {
      throw new BackendUnavailableException(ID, "Kubernetes API at " + masterUrl() + " did not answer completely "
          + "within " + callTimeout.toMillis() + " ms (" + K8sBackendProvider.TIMEOUT + ", the total for connect, "
          + "headers and body) while reading Secret '" + name + "' in namespace '" + namespace + "'. Check "
          + "connectivity to the API server, or raise " + K8sBackendProvider.TIMEOUT, e);
    } catch (KubernetesClientException e) {
      if (cap != null && cap.takeOverflow("/api/v1/namespaces/" + namespace + "/secrets/" + name)) {
        throw new BackendUnavailableException(ID, "Kubernetes API at " + masterUrl() + " answered more than "
            + cap.maxBytes() + " bytes (" + K8sBackendProvider.MAX_RESPONSE_BYTES + ") when asked to get Secret '"
            + name + "' in namespace '" + namespace + "'; the rest was not read. Raise "
            + K8sBackendProvider.MAX_RESPONSE_BYTES + " if such an answer is expected, or check the API URL", e);
      }
      throw translate(e, name, "get");
    }
  }

  private Optional<Secret> find(io.fabric8.kubernetes.api.model.Secret object, String name, String key) {
    Map<String, byte[]> entries = entries(object, name);
    String entry = entries.containsKey(key) ? key : null;
    if (entry == null) {
      List<String> candidates = entries.keySet().stream().filter(k -> KeyNames.matches(key, k)).sorted().toList();
      if (candidates.size() > 1) {
        throw new BackendConfigurationException(ID, "Key '" + key + "' is ambiguous in Secret '" + name
            + "' (namespace '" + namespace + "'): the data keys " + String.join(" and ", candidates)
            + " both map to it. Remove or rename one, or ask for the exact data key.");
      }
      if (candidates.isEmpty()) {
        return Optional.empty();
      }
      entry = candidates.get(0);
    }
    // entry is a key of entries: the asked key or one of the matching data keys
    SecretValue value = Values.decode(Objects.requireNonNull(entries.get(entry), "entry"), trimNewline);
    String resourceVersion = object.getMetadata() == null ? null : object.getMetadata().getResourceVersion();
    SecretVersion version = resourceVersion == null || resourceVersion.isBlank()
        ? SecretVersion.ofContent(value)
        : SecretVersion.of(versionMemory.versionOf(name + "/" + entry, value, resourceVersion),
            writtenAt(object, entry), Set.of(), true, SecretVersion.State.ENABLED);
    return Optional.of(Secret.of(key, value, version, ID, clock.instant()));
  }

  /** The annotation prefix under which a write records when it wrote a data key (the key follows). */
  static final String WRITTEN_AT = "secrets.nexusreussite.org/written-at.";

  /**
   * When the data key's value was written: the time our last write recorded in an annotation, else the
   * Secret's creation time, an upper bound on the value's age when someone else changed it since (so a
   * rotation policy errs towards rotating). Null when neither is there or readable.
   */
  private static @Nullable Instant writtenAt(io.fabric8.kubernetes.api.model.Secret object, String entry) {
    io.fabric8.kubernetes.api.model.ObjectMeta meta = object.getMetadata();
    if (meta == null) {
      return null;
    }
    String recorded = meta.getAnnotations() == null ? null : meta.getAnnotations().get(WRITTEN_AT + entry);
    for (String candidate : new String[] {recorded, meta.getCreationTimestamp()}) {
      if (candidate != null) {
        try {
          return Instant.parse(candidate);
        } catch (java.time.format.DateTimeParseException e) {
          // someone's hand-edited annotation: fall back to the creation time
        }
      }
    }
    return null;
  }

  /**
   * The annotation recording a write of {@code entry}, or none when the data key cannot be part of an
   * annotation name (at most 63 characters, alphanumeric at both ends): the API server would refuse the
   * update. Such a key's age then falls back to the Secret's creation time.
   */
  private static Map<String, String> writtenAtAnnotations(String entry, String when) {
    String name = WRITTEN_AT.substring(WRITTEN_AT.indexOf('/') + 1) + entry;
    boolean valid = name.length() <= 63 && Character.isLetterOrDigit(entry.charAt(entry.length() - 1))
        && entry.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'));
    return valid ? Map.of(WRITTEN_AT + entry, when) : Map.of();
  }

  /** {@code data} decoded, then {@code stringData} on top, as the API server merges them on write. */
  private Map<String, byte[]> entries(io.fabric8.kubernetes.api.model.Secret object, String name) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (object.getData() != null) {
      object.getData().forEach((k, v) -> {
        try {
          out.put(k, v == null ? new byte[0] : Base64.getDecoder().decode(v.strip()));
        } catch (IllegalArgumentException e) {
          throw new BackendUnavailableException(ID, "Secret '" + name + "' in namespace '" + namespace
              + "' has data key '" + k + "' that is not valid base64; fix the Secret", e);
        }
      });
    }
    if (object.getStringData() != null) {
      object.getStringData().forEach((k, v) -> out.put(k, v == null ? new byte[0]
          : v.getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /**
   * The client's failure as one of ours, naming namespace, Secret and what to grant or check. The API server's
   * status message is quoted for reads (RBAC says there what was refused) but not for writes, whose answer may
   * quote the object sent (an admission webhook refusing it), new value included; the cause is a scrubbed copy
   * either way (fabric8's message carries the whole status).
   */
  BackendException translate(KubernetesClientException original, String name, String verb) {
    int code = original.getCode();
    boolean write = verb.equals("create") || verb.equals("update");
    String reason = !write && original.getStatus() != null && original.getStatus().getMessage() != null
        ? ": " + original.getStatus().getMessage() : "";
    Throwable e = StoreCauses.scrub(original, t -> t instanceof KubernetesClientException k && k.getCode() > 0
        ? " (HTTP " + k.getCode() + ")" : "");
    if (code == 403) {
      return new BackendAuthenticationException(ID, "Kubernetes API refused to " + verb + " Secret '" + name
          + "' in namespace '" + namespace + "' (403 Forbidden" + reason + "). Grant this service account the '"
          + verb + "' verb on secrets in namespace '" + namespace + "' (a Role with apiGroups [\"\"], resources "
          + "[\"secrets\"], verbs [\"get\", \"list\", \"watch\"], and a RoleBinding).", e);
    }
    if (code == 401) {
      return new BackendAuthenticationException(ID, "Kubernetes API at " + masterUrl()
          + " rejected the credentials (401 Unauthorized) when asked to " + verb + " Secret '" + name
          + "' in namespace '" + namespace + "': the token is expired, revoked or not valid for this cluster. "
          + "Check the service-account token (a pod's projected token is renewed by the kubelet; a token "
          + "copied elsewhere is not) or the kubeconfig user's credentials.", e);
    }
    if (code <= 0) { // no HTTP answer: refused, reset, timed out, DNS
      return new BackendUnavailableException(ID, "Kubernetes API at " + masterUrl() + " is unreachable ("
          + rootCause(original) + ") while reading Secret '" + name + "' in namespace '" + namespace
          + "'. Check connectivity to the API server and the in-cluster config or kubeconfig.", e);
    }
    return new BackendUnavailableException(ID, "Kubernetes API at " + masterUrl() + " answered " + code
        + " to " + verb + " Secret '" + name + "' in namespace '" + namespace + "'" + reason
        + ". Check the API server's health.", e);
  }

  private String masterUrl() {
    return Addresses.redact(api.masterUrl());
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- write

  /**
   * Sets the data key of {@code key} (exact, or the mapped name such as {@code database-url}) in the Secret
   * holding it, keeping its other keys, with an update that carries the {@code resourceVersion} read, so
   * the API server refuses it (409) when someone else updated the Secret meanwhile: a
   * {@link WriteConflictException}. A key no Secret holds is added to the first Secret (created when absent)
   * only with {@link WriteOptions#createIfMissing()}. The key's version is, as for reads, the
   * {@code resourceVersion} at which its value was first seen.
   *
   * @throws WriteConflictException when the expected version is not current or the update lost the race
   */
  @Override
  public SecretVersion write(String key, SecretValue value, WriteOptions request) {
    Keys.requireValid(key);
    Objects.requireNonNull(value, "value");
    String name = null;
    io.fabric8.kubernetes.api.model.Secret object = null;
    Secret current = null;
    for (String candidate : secretNames) {
      Optional<io.fabric8.kubernetes.api.model.Secret> read = read(candidate);
      Optional<Secret> found = read.flatMap(o -> find(o, candidate, key));
      if (found.isPresent()) {
        name = candidate;
        object = read.get();
        current = found.get();
        break;
      }
    }
    if (name == null) {
      if (!request.createIfMissing()) {
        throw SecretNotFoundException.of(key, List.of(describe()));
      }
      name = secretNames.get(0);
      object = read(name).orElse(null);
    }
    String expected = request.expectedVersion().orElse(null);
    String currentId = current == null ? null : current.version().id();
    if (expected != null && !expected.equals(currentId)) {
      throw new WriteConflictException(ID, key, "Secret '" + name + "' in namespace '" + namespace + "'", expected,
          currentId);
    }
    String entry = key;
    if (object != null) {
      Map<String, byte[]> entries = entries(object, name);
      if (!entries.containsKey(key)) {
        entry = entries.keySet().stream().filter(k -> KeyNames.matches(key, k)).findFirst().orElse(key);
      }
    }
    String encoded = Base64.getEncoder().encodeToString(value.reveal().getBytes(StandardCharsets.UTF_8));
    String secretName = name;
    // annotation values must be strings; the instant to the second is enough for a maximum age in days
    String writtenNow = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    io.fabric8.kubernetes.api.model.Secret written;
    try {
      if (object == null) {
        io.fabric8.kubernetes.api.model.Secret created = new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata().withName(secretName).withNamespace(namespace)
            .addToAnnotations(writtenAtAnnotations(entry, writtenNow)).endMetadata()
            .withData(Map.of(entry, encoded)).build();
        written = CallDeadline.run(callTimeout, () -> api.create(namespace, created));
      } else {
        Map<String, String> data = new LinkedHashMap<>(object.getData() == null ? Map.of() : object.getData());
        data.put(entry, encoded);
        Map<String, String> stringData = object.getStringData() == null ? null
            : new LinkedHashMap<>(object.getStringData());
        if (stringData != null) {
          stringData.remove(entry); // it would win over data when the API server merges them
        }
        // the resourceVersion read stays in the metadata: the API server compares it (optimistic locking)
        io.fabric8.kubernetes.api.model.Secret updated = new io.fabric8.kubernetes.api.model.SecretBuilder(object)
            .editMetadata().addToAnnotations(writtenAtAnnotations(entry, writtenNow)).endMetadata()
            .withData(data).withStringData(stringData).build();
        written = CallDeadline.run(callTimeout, () -> api.update(namespace, updated));
      }
    } catch (CallDeadline.Exceeded e) {
      throw new BackendUnavailableException(ID, "Kubernetes API at " + masterUrl() + " did not answer completely "
          + "within " + callTimeout.toMillis() + " ms (" + K8sBackendProvider.TIMEOUT + ") while updating Secret '"
          + secretName + "' in namespace '" + namespace + "'; the update may or may not have been applied: check "
          + "'secrets explain " + key + "' (it shows the served resourceVersion) before retrying", e);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        String now = read(secretName).flatMap(o -> find(o, secretName, key)).map(s -> s.version().id()).orElse(null);
        throw new WriteConflictException(ID, key, "Secret '" + secretName + "' in namespace '" + namespace + "'",
            currentId, now);
      }
      throw translate(e, secretName, object == null ? "create" : "update");
    }
    String resourceVersion = written == null || written.getMetadata() == null ? null
        : written.getMetadata().getResourceVersion();
    String versionId = resourceVersion == null || resourceVersion.isBlank() ? SecretVersion.ofContent(value).id()
        : versionMemory.versionOf(secretName + "/" + entry, value, resourceVersion);
    log.log(System.Logger.Level.INFO, "Kubernetes Secret ''{0}'' in namespace ''{1}'': data key ''{2}'' written "
        + "(resourceVersion {3}; other keys unchanged)", secretName, namespace, entry, resourceVersion);
    return SecretVersion.of(versionId, clock.instant(), Set.of(), true, SecretVersion.State.ENABLED);
  }

  // ---------------------------------------------------------------- watching

  @Override
  public void watch(BackendChangeListener listener) {
    listeners.add(listener);
    synchronized (this) {
      if (!watches.isEmpty() || closed) {
        return;
      }
      ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nexus-secrets-k8s-watch");
        t.setDaemon(true);
        return t;
      });
      watchThread = thread;
      for (String name : secretNames) {
        SecretWatch watch = new SecretWatch(api, namespace, name, new SecretWatch.Events() {
          @Override
          public void observed(io.fabric8.kubernetes.api.model.@Nullable Secret object) {
            K8sSecretBackend.this.observed(name, object);
          }

          @Override
          public void failed(Throwable error, boolean listed) {
            // keeps trying with back-off: RBAC may be fixed without a restart
            reportWatchFailure(name, error, listed);
          }
        }, thread, callTimeout);
        watches.put(name, watch);
        watch.start();
      }
    }
  }

  /**
   * Logs a failure of the list or watch of a Secret once per Secret and problem (it is retried every few
   * seconds; a warning each time would bury the log), and keeps it for {@link #health()}.
   */
  private void reportWatchFailure(String name, Throwable error, boolean listed) {
    KubernetesClientException kce = clientException(error);
    String message = error instanceof CallDeadline.Exceeded
        ? "Kubernetes API at " + masterUrl() + " did not answer within " + callTimeout.toMillis() + " ms ("
            + K8sBackendProvider.TIMEOUT + ") when asked to list or watch Secret '" + name + "' in namespace '"
            + namespace + "'. Check connectivity to the API server, or raise " + K8sBackendProvider.TIMEOUT + "."
        : kce == null ? "the Kubernetes API failed (" + rootCause(error) + ")"
        : kce.getCode() > 0 ? translate(kce, name, watchVerb(kce, listed)).getMessage()
        : translate(kce, name, "watch").getMessage();
    watchFailures.put(name, message);
    if (reportedWatchFailures.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(message)) {
      log.log(System.Logger.Level.WARNING, "Rotation events for Secret '" + name + "' in namespace '"
          + namespace + "' stopped; reads still work and rotation is seen at the next scheduled refresh "
          + "meanwhile. Retrying with backoff; this is logged once per problem. " + message);
    }
  }

  /** The API failure in {@code error}, which may come wrapped (CompletionException). */
  private static @Nullable KubernetesClientException clientException(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException kce) {
        return kce;
      }
    }
    return null;
  }

  /**
   * The verb the API server refused: its own message says it ("cannot watch resource"); without one, a
   * failure before the first list completed is the list's, after it the watch's.
   */
  private static String watchVerb(KubernetesClientException e, boolean listed) {
    String said = e.getStatus() == null ? null : e.getStatus().getMessage();
    if (said != null) {
      Matcher m = REFUSED_VERB.matcher(said);
      if (m.find()) {
        return m.group(1);
      }
    }
    return listed ? "watch" : "list";
  }

  /** Compares fingerprints with what the watch saw before and notifies the keys that changed. */
  private void observed(String name, io.fabric8.kubernetes.api.model.@Nullable Secret object) {
    synchronized (this) {
      if (closed) {
        return; // a watch callback that raced close(): nobody is listening any more
      }
    }
    try {
      Map<String, String> now = new LinkedHashMap<>();
      if (object != null) {
        entries(object, name).forEach((k, v) -> now.put(k, Values.decode(v, trimNewline).fingerprint()));
      }
      Map<String, String> before = lastSeen.put(name, now);
      Set<String> changed = new HashSet<>();
      Set<String> all = new HashSet<>(now.keySet());
      if (before != null) {
        all.addAll(before.keySet());
      }
      for (String k : all) {
        if (before == null || !Objects.equals(before.get(k), now.get(k))) {
          changed.add(k);
        }
      }
      if (changed.isEmpty()) {
        return;
      }
      Set<String> keys = new LinkedHashSet<>();
      changed.forEach(k -> keys.addAll(KeyNames.spellings(k)));
      Set<String> view = Set.copyOf(keys);
      for (BackendChangeListener listener : listeners) {
        listener.changed(view);
      }
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "Handling a change of Secret '" + name + "' failed: "
          + e.getClass().getName());
    }
  }

  boolean watching() {
    synchronized (this) {
      watches.forEach((name, watch) -> {
        if (watch.isWatching()) {
          recovered(name);
        }
      });
      return !watches.isEmpty() && watches.values().stream().allMatch(SecretWatch::isWatching);
    }
  }

  /** The watch of {@code name} works (again): forget its failure, so that a new one is logged again. */
  private void recovered(String name) {
    if (watchFailures.remove(name) != null) {
      reportedWatchFailures.remove(name);
      log.log(System.Logger.Level.INFO, "Rotation events for Secret '" + name + "' in namespace '" + namespace
          + "' work again");
    }
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public BackendHealth health() {
    try {
      for (String name : secretNames) {
        read(name);
      }
    } catch (BackendException e) {
      return BackendHealth.down(ID, Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
    } catch (RuntimeException e) {
      return BackendHealth.down(ID, "Kubernetes API probe failed: " + e.getClass().getSimpleName());
    }
    Optional<BackendHealth> lost = reportedState();
    if (lost.isPresent()) {
      return lost.get();
    }
    boolean started;
    boolean watching;
    synchronized (this) {
      started = !watches.isEmpty();
      watching = watching();
    }
    return BackendHealth.up(ID, where() + (!started ? "" : watching ? ", watching" : ", watch reconnecting"));
  }

  /**
   * DEGRADED while the watch of a Secret is lost (a refused list or watch, the API unreachable): reads still
   * work, but rotation reaches the application only at the next scheduled refresh. No I/O.
   */
  @Override
  public Optional<BackendHealth> reportedState() {
    List<String> stopped = new ArrayList<>();
    synchronized (this) {
      watching(); // forgets the failure of a watch that works again (the watch's state; no I/O)
      watches.keySet().forEach(name -> Optional.ofNullable(watchFailures.get(name)).ifPresent(stopped::add));
    }
    if (stopped.isEmpty()) {
      return Optional.empty();
    }
    String problem = String.join(" ", stopped);
    return Optional.of(BackendHealth.of(ID, BackendHealth.Status.DEGRADED, where() + "; reads work, rotation "
        + "events stopped (rotation is seen at the next scheduled refresh): " + problem, null, null, problem));
  }

  private String where() {
    return "namespace " + namespace + ", Secrets " + String.join(",", secretNames);
  }

  @Override
  public void close() {
    List<SecretWatch> toStop;
    ScheduledExecutorService thread;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toStop = new ArrayList<>(watches.values());
      watches.clear();
      thread = watchThread;
      watchThread = null;
    }
    toStop.forEach(SecretWatch::stop);
    if (thread != null) {
      thread.shutdownNow();
    }
    api.close();
  }

  @Override
  public String toString() {
    return "K8sSecretBackend" + describe().substring(ID.length());
  }
}
