package org.nexusreussite.secrets.jwt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.FingerprintKey;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;

/**
 * A JWT key ring over one secret of a {@link SecretResolver}: {@link #current()} is the key to sign with,
 * {@link #verificationKeys()} the current key plus the previous ones still inside the grace window, so a
 * token signed just before a rotation keeps verifying for {@link Builder#gracePeriod(Duration)} after it.
 *
 * <pre>{@code
 * KeyRing ring = KeyRing.builder(resolver, "JWT_SIGNING_KEY")
 *     .algorithm(JwtAlgorithm.HS256).encoding(KeyEncoding.BASE64)
 *     .gracePeriod(Duration.ofHours(1)).build();
 * RingKey signing = ring.current();            // kid + key for the token you issue now
 * JWKSource<SecurityContext> keys = NimbusKeyRing.verificationSource(ring);
 * }</pre>
 *
 * <p><b>Where the previous keys come from.</b> The ring follows the resolver: every call to {@link #current()}
 * or {@link #verificationKeys()} reads the served secret (a cache hit) and a rotation listener does the same
 * when the resolver picks up a change; the key that was current until then is kept, retired at that moment,
 * for the grace window. For stores that keep history (Vault KV v2, AWS, Azure: {@code versions(key)} works)
 * a ring built after a rotation (an application restart) also reads back the earlier versions whose successor
 * was created less than the grace window ago. For stores without history (env, dotenv, Kubernetes files) the
 * previously served value exists only in this process's memory, for the grace window.
 *
 * <p><b>Key ids.</b> A key id is 22 URL-safe characters of SHA-256 over a label, the secret's key and:
 * <ul>
 *   <li>for stores with history: the backend id and the store's version id, the same on every host and
 *       after restarts;
 *   <li>for stores without history when {@code SECRETS_FINGERPRINT_KEY} is set: the value's fingerprint under
 *       that shared key, an HMAC that nobody without the key can test guesses against, the same on every
 *       host sharing it;
 *   <li>else: the store's version id, which for such stores is a content id ({@code content:...}, an HMAC
 *       with a random per-process key) or the Kubernetes volume's {@code ..data} folder: it reveals nothing of
 *       the value, but is only stable within one process (or pod). Other instances then verify by trying every
 *       key of their ring ({@link NimbusKeyRing} does), not by key id ({@link JjwtKeyRing}'s locator cannot).
 * </ul>
 * Never a hash of the value itself: a low-entropy secret could be recovered from it.
 *
 * <p><b>Bounds.</b> At most {@link Builder#maxKeys(int)} keys (default {@value #DEFAULT_MAX_KEYS}, current
 * included); a further rotation inside the grace window drops the oldest retired key. Keys past their grace
 * window are never returned and are dropped at the next change.
 *
 * <p>Thread-safe: the state is one immutable snapshot swapped atomically; reads take no lock. A secret that
 * cannot be used as a key after a rotation (too short, wrong encoding) is logged without its value and the
 * ring keeps signing with the last good key.
 */
public final class KeyRing implements AutoCloseable {
  /** The grace window unless set: how long a retired key still verifies. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
  /** The most keys kept unless set, current included. */
  public static final int DEFAULT_MAX_KEYS = 8;
  /** The upper limit of {@link Builder#maxKeys(int)}: verification may try every key. */
  public static final int MAX_KEYS_LIMIT = 64;

  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets.jwt");
  private static final String KID_LABEL = "nexus-secrets jwt kid v1";

  /** Current key first, then retired keys newest first. */
  private record State(RingKey current, List<RingKey> retired) {}

  private final SecretResolver resolver;
  private final String key;
  private final JwtAlgorithm algorithm;
  private final KeyEncoding encoding;
  private final Duration grace;
  private final int maxKeys;
  private final Clock clock;
  private final FingerprintKey fingerprintKey;
  private final boolean history;
  /** Version id -> the version that introduced its value (see {@link #originVersion}); bounded. */
  private final java.util.Map<String, String> origins = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicReference<@Nullable State> state = new AtomicReference<>();
  private final Subscription subscription;
  // the last version refused as a key, so a bad value is logged once, not on every current()
  private volatile @Nullable String refusedVersion;

  private KeyRing(Builder b) {
    this.resolver = b.resolver;
    this.key = b.key;
    this.algorithm = b.algorithm;
    this.encoding = b.encoding;
    this.grace = b.grace;
    this.maxKeys = b.maxKeys;
    this.clock = b.clock;
    this.fingerprintKey = b.fingerprintKey != null ? b.fingerprintKey : FingerprintKey.fromEnvironment();
    // subscribe first: a rotation between the first read and the subscription would otherwise go unseen
    this.subscription = resolver.onRotation(key, this::rotated);
    try {
      Secret served = resolver.secret(key);
      List<SecretVersion> versions = history(served);
      this.history = versions != null;
      RingKey first = toKey(served);
      State initial = new State(first, restore(served, versions == null ? List.of() : versions, clock.instant()));
      state.compareAndSet(null, initial);
      if (!history && !fingerprintKey.comparableAcrossHosts()) {
        LOG.log(System.Logger.Level.INFO, "Key ring ''{0}'': backend {1} keeps no history and {2} is not set, so key"
            + " ids are local to this process; other instances verify its tokens by trying every key"
            + " (NimbusKeyRing), not by key id (JjwtKeyRing). Set {2} on every instance for shared key ids.",
            key, served.backend(), FingerprintKey.SETTING);
      }
    } catch (RuntimeException e) {
      subscription.close();
      throw e;
    }
  }

  /**
   * A builder for a ring over {@code key} of {@code resolver}.
   *
   * @throws IllegalArgumentException when {@code key} is not a valid key
   */
  public static Builder builder(SecretResolver resolver, String key) {
    return new Builder(resolver, key);
  }

  /**
   * The key to sign with now: the served version of the secret.
   *
   * @throws SecretsException when the resolver cannot serve the secret (store failed past max-stale)
   */
  public RingKey current() {
    return sync().current;
  }

  /**
   * The keys that verify now: the current key first, then retired keys still inside the grace window,
   * newest first. At most {@link Builder#maxKeys(int)} keys; an unmodifiable snapshot.
   *
   * @throws SecretsException when the resolver cannot serve the secret (store failed past max-stale)
   */
  public List<RingKey> verificationKeys() {
    State s = sync();
    Instant now = clock.instant();
    List<RingKey> keys = new ArrayList<>(1 + s.retired.size());
    keys.add(s.current);
    for (RingKey k : s.retired) {
      if (k.verifiesAt(now)) {
        keys.add(k);
      }
    }
    return List.copyOf(keys);
  }

  /**
   * The verification key with key id {@code keyId}, or empty when the ring does not hold it (never had it,
   * or its grace window is over).
   */
  public Optional<RingKey> find(String keyId) {
    for (RingKey k : verificationKeys()) {
      if (k.keyId().equals(keyId)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The secret's key, e.g. {@code JWT_SIGNING_KEY}. */
  public String secretKey() {
    return key;
  }

  /** The algorithm every key of this ring uses. */
  public JwtAlgorithm algorithm() {
    return algorithm;
  }

  /** How long a retired key still verifies. */
  public Duration gracePeriod() {
    return grace;
  }

  /**
   * Whether key ids are the same on every instance: true for stores with history, and for stores without
   * when {@code SECRETS_FINGERPRINT_KEY} (or {@link Builder#fingerprintKey}) is shared.
   */
  public boolean keyIdsShared() {
    return history || fingerprintKey.comparableAcrossHosts();
  }

  /** Stops following rotations; the keys held stay readable. Idempotent. */
  @Override
  public void close() {
    subscription.close();
  }

  /** Key, algorithm, grace window and key ids; never key material. */
  @Override
  public String toString() {
    State s = state.get();
    StringBuilder sb = new StringBuilder("KeyRing[").append(key).append(", ").append(algorithm)
        .append(", grace ").append(grace);
    if (s != null) {
      sb.append(", current ").append(s.current.keyId()).append(", retired ").append(s.retired.size());
    }
    return sb.append(']').toString();
  }

  // ------------------------------------------------------------------------------------------ internals

  /**
   * Brings the state in line with what the resolver serves now; one cache hit when nothing changed.
   *
   * <p>A reader that read the resolver before a rotation and reaches this point after another thread adopted
   * the rotation must not install its older secret as current again. So the served secret is read again
   * after the state snapshot is taken and before it is swapped: the swap succeeds only if the state is still
   * that snapshot, and at that moment the resolver served what is installed.
   */
  private State sync() {
    Secret served = resolver.secret(key);
    while (true) {
      State seen = Objects.requireNonNull(state.get(), "key ring used before it was built");
      if (seen.current.sameSource(served.version().id(), served.backend(), served.value())) {
        return seen;
      }
      RingKey next;
      try {
        next = toKey(served);
      } catch (KeyRingException e) {
        refused(served, e);
        return seen;
      }
      Secret again = resolver.secret(key);
      if (again != served && !(again.version().id().equals(served.version().id())
          && again.backend().equals(served.backend()) && again.value().equals(served.value()))) {
        served = again; // rotated meanwhile: adopt the newer one instead
        continue;
      }
      Instant now = clock.instant();
      List<RingKey> retired = new ArrayList<>(seen.retired.size() + 1);
      retired.add(seen.current.retire(now, now.plus(grace)));
      retired.addAll(seen.retired);
      State updated = new State(next, prune(retired, next.keyId(), now));
      if (state.compareAndSet(seen, updated)) {
        if (next.keyId().equals(seen.current.keyId())) {
          return updated; // a new version of the same value (another field of its source was written)
        }
        LOG.log(System.Logger.Level.INFO, "Key ring ''{0}'': now signing with key id {1} (version {2} from {3});"
            + " key id {4} verifies until {5}", key, next.keyId(), next.versionId(), next.backend(),
            seen.current.keyId(), now.plus(grace));
        return updated;
      }
    }
  }

  /** Keeps keys inside their grace window, not the current one, at most maxKeys - 1, newest first. */
  private List<RingKey> prune(List<RingKey> retired, String currentId, Instant now) {
    List<RingKey> kept = new ArrayList<>();
    for (RingKey k : retired) {
      if (kept.size() == maxKeys - 1) {
        break;
      }
      if (k.verifiesAt(now) && !k.keyId().equals(currentId)
          && kept.stream().noneMatch(o -> o.keyId().equals(k.keyId()))) {
        kept.add(k);
      }
    }
    return List.copyOf(kept);
  }

  /**
   * The rotation listener: keeps the previous secret if the ring never held it, then follows what the
   * resolver serves now (not the event's value: an event that arrives late must not undo a newer state).
   */
  private void rotated(SecretRotation rotation) {
    try {
      if (state.get() == null) {
        return; // still being built; the constructor reads the served secret after subscribing
      }
      rotation.previous().ifPresent(this::keepIfUnseen);
      sync();
    } catch (RuntimeException e) {
      // on the resolver's refresh thread: log by type only, the next current() call syncs again
      LOG.log(System.Logger.Level.WARNING, "Key ring ''{0}'': could not apply a rotation ({1}); the next read"
          + " retries", key, e.getClass().getName());
    }
  }

  /** A previous secret the ring never held (a rotation it did not see) is kept, retired now. */
  private void keepIfUnseen(Secret previous) {
    while (true) {
      State seen = Objects.requireNonNull(state.get());
      String version = previous.version().id();
      if (seen.current.sameSource(version, previous.backend(), previous.value())
          || seen.retired.stream().anyMatch(k -> k.sameSource(version, previous.backend(), previous.value()))) {
        return;
      }
      RingKey old;
      try {
        old = toKey(previous);
      } catch (KeyRingException e) {
        return; // it could never have signed anything with this ring
      }
      Instant now = clock.instant();
      List<RingKey> retired = new ArrayList<>(seen.retired.size() + 1);
      retired.add(old.retire(now, now.plus(grace)));
      retired.addAll(seen.retired);
      if (state.compareAndSet(seen, new State(seen.current, prune(retired, seen.current.keyId(), now)))) {
        return;
      }
    }
  }

  private void refused(Secret served, KeyRingException e) {
    String version = served.version().id();
    if (!version.equals(refusedVersion)) {
      refusedVersion = version;
      LOG.log(System.Logger.Level.WARNING, "{0}; still signing with the previous key until it is fixed",
          e.getMessage());
    }
  }

  /** The store's versions when it keeps history, or null when it keeps none. */
  private @Nullable List<SecretVersion> history(Secret served) {
    try {
      return resolver.admin().versions(key);
    } catch (UnsupportedCapabilityException e) {
      return null;
    } catch (SecretsException e) {
      // the store keeps history but could not list it now: start with the current key only
      LOG.log(System.Logger.Level.WARNING, "Key ring ''{0}'': could not list the versions of {1} at start ({2});"
          + " earlier keys still inside the grace window are not restored, tokens they signed will not verify here",
          key, served.backend(), e.getClass().getName());
      return List.of();
    }
  }

  /**
   * The versions before the served one whose successor was created less than the grace window ago, read
   * back from the store: after a restart, tokens signed shortly before the last rotation still verify.
   */
  private List<RingKey> restore(Secret served, List<SecretVersion> newestFirst, Instant now) {
    List<RingKey> retired = new ArrayList<>();
    int at = -1;
    for (int i = 0; i < newestFirst.size(); i++) {
      if (newestFirst.get(i).id().equals(served.version().id())) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return List.of();
    }
    for (int i = at + 1; i < newestFirst.size() && retired.size() < maxKeys - 1; i++) {
      SecretVersion v = newestFirst.get(i);
      Optional<Instant> supersededAt = newestFirst.get(i - 1).createdAt();
      if (supersededAt.isEmpty()) {
        break; // without a creation time the grace window cannot be placed: not trusted
      }
      Instant until = supersededAt.get().plus(grace);
      if (!now.isBefore(until)) {
        break;
      }
      if (!v.state().servable()) {
        continue;
      }
      try {
        Secret old = resolver.secret(key, VersionSelector.id(v.id()));
        retired.add(toKey(old).retire(supersededAt.get(), until));
      } catch (SecretsException e) {
        LOG.log(System.Logger.Level.WARNING, "Key ring ''{0}'': could not restore version {1} from {2} ({3});"
            + " tokens it signed will not verify here", key, v.id(), served.backend(), e.getClass().getName());
      }
    }
    return prune(retired, "", now);
  }

  private RingKey toKey(Secret secret) {
    java.security.Key[] keys = KeyMaterial.decode(secret, algorithm, encoding);
    return new RingKey(keyId(secret), algorithm, key, secret.version().id(), secret.backend(), keys[0], keys[1],
        secret.value(), null, null);
  }

  private String keyId(Secret secret) {
    String material;
    if (history) {
      material = key + '\0' + secret.backend() + '\0' + "version" + '\0' + originVersion(secret);
    } else if (!fingerprintKey.comparableAcrossHosts()) {
      material = key + '\0' + secret.backend() + '\0' + "version" + '\0' + secret.version().id();
    } else {
      material = key + '\0' + "shared-fingerprint" + '\0' + secret.value().fingerprint(fingerprintKey);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((KID_LABEL + '\0' + material).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  /**
   * The version that introduced {@code secret}'s value: the oldest of the consecutive versions before it that
   * hold the same value. A store that versions a whole source (a Vault path, an AWS JSON secret) makes a new
   * version of this key when another field is written; the key id must not change then, on any instance,
   * whenever it started. Walks at most {@link #MAX_VERSIONS_WALKED} versions back; remembered per version
   * (a version's history does not change), at most {@link #MAX_ORIGINS} of them.
   */
  private String originVersion(Secret secret) {
    String id = secret.version().id();
    String known = origins.get(id);
    if (known != null) {
      return known;
    }
    String origin = id;
    try {
      List<SecretVersion> all = resolver.admin().versions(key);
      List<SecretVersion> older = new ArrayList<>();
      Instant created = null;
      for (SecretVersion v : all) {
        if (v.id().equals(id)) {
          created = v.createdAt().orElse(null);
        }
      }
      if (created != null) {
        for (SecretVersion v : all) {
          if (v.createdAt().isPresent() && v.createdAt().get().isBefore(created)) {
            older.add(v);
          }
        }
        older.sort((a, b) -> b.createdAt().orElseThrow().compareTo(a.createdAt().orElseThrow()));
        for (int i = 0; i < older.size() && i < MAX_VERSIONS_WALKED; i++) {
          SecretVersion v = older.get(i);
          if (!v.state().servable() || !resolver.secret(key, VersionSelector.id(v.id())).value()
              .equals(secret.value())) {
            break;
          }
          origin = v.id();
        }
      }
    } catch (SecretsException e) {
      return id; // history unreadable now: the version's own id, not remembered, so a later call can do better
    }
    synchronized (origins) {
      if (origins.size() >= MAX_ORIGINS) {
        origins.clear();
      }
      origins.put(id, origin);
    }
    return origin;
  }

  /** The most older versions one key id derivation reads back. */
  static final int MAX_VERSIONS_WALKED = 16;
  /** The most version -> origin results remembered. */
  static final int MAX_ORIGINS = 64;

  /**
   * Options of a {@link KeyRing}; each setter checks its argument at once. Not thread-safe; build once.
   */
  public static final class Builder {
    private final SecretResolver resolver;
    private final String key;
    private JwtAlgorithm algorithm = JwtAlgorithm.HS256;
    private KeyEncoding encoding = KeyEncoding.UTF8;
    private Duration grace = DEFAULT_GRACE;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private Clock clock = Clock.systemUTC();
    private @Nullable FingerprintKey fingerprintKey;

    private Builder(SecretResolver resolver, String key) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      this.key = Keys.requireValid(key);
    }

    /** The JWS algorithm; default {@link JwtAlgorithm#HS256}. */
    public Builder algorithm(JwtAlgorithm value) {
      this.algorithm = Objects.requireNonNull(value, "algorithm");
      return this;
    }

    /** How an HMAC key is written in the value; default {@link KeyEncoding#UTF8}. Ignored for RSA. */
    public Builder encoding(KeyEncoding value) {
      this.encoding = Objects.requireNonNull(value, "encoding");
      return this;
    }

    /**
     * How long a retired key still verifies; default one hour. Set it to at least the lifetime of the
     * tokens signed with it, else tokens issued just before a rotation fail before they expire.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder gracePeriod(Duration value) {
      Objects.requireNonNull(value, "gracePeriod");
      if (value.isNegative()) {
        throw new IllegalArgumentException("gracePeriod must not be negative, got " + value);
      }
      this.grace = value;
      return this;
    }

    /**
     * The most keys kept, current included: 2 to {@value #MAX_KEYS_LIMIT}; default {@value #DEFAULT_MAX_KEYS}.
     *
     * @throws IllegalArgumentException when out of range
     */
    public Builder maxKeys(int value) {
      if (value < 2 || value > MAX_KEYS_LIMIT) {
        throw new IllegalArgumentException("maxKeys must be 2 to " + MAX_KEYS_LIMIT + ", got " + value);
      }
      this.maxKeys = value;
      return this;
    }

    /** The clock of retirement times and grace windows; pass the resolver's clock. Default: system UTC. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The key of value fingerprints used for key ids of stores without history; default
     * {@link FingerprintKey#fromEnvironment()} ({@code SECRETS_FINGERPRINT_KEY} when set).
     */
    public Builder fingerprintKey(FingerprintKey value) {
      this.fingerprintKey = Objects.requireNonNull(value, "fingerprintKey");
      return this;
    }

    /**
     * Reads the secret, checks it is a usable key, restores earlier versions still inside the grace window
     * (stores with history) and subscribes to rotations.
     *
     * @throws org.nexusreussite.secrets.SecretNotFoundException when no backend holds the key
     * @throws KeyRingException when the value is not a usable key for the algorithm and encoding
     * @throws SecretsException when the store cannot be read
     */
    public KeyRing build() {
      return new KeyRing(this);
    }
  }
}
