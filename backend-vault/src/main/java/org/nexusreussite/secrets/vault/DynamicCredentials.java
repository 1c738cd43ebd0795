package org.nexusreussite.secrets.vault;

import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.spi.BackendChangeListener;
import org.nexusreussite.secrets.spi.TaskScheduler;
import org.nexusreussite.secrets.vault.internal.JsonFields;
import org.nexusreussite.secrets.vault.internal.VaultHttp;

/**
 * The leases of Vault dynamic secrets ({@link VaultDynamicOptions}): one current lease per path, served
 * from memory; renewed while Vault allows it; replaced {@code margin} before its end; the replaced lease
 * revoked {@code grace} after the switch. Each replacement tells the resolver (the backend's watch),
 * which reads the new pair as one group and fires the group rotation.
 *
 * <p>Schedule: a lease ending at {@code E} is renewed at {@code min(now + 2/3 (E - now), E - margin)},
 * never earlier than a third of the way, with the lease's original duration as the increment. A renewal
 * that Vault cuts short (the role's max TTL) or that is refused, and a lease that is not renewable, make
 * the next step a replacement at {@code E - margin} (at once when less is left): so the old credentials
 * stay valid at least {@code margin} after the new ones are served while the margin is at most two thirds
 * of the lease's duration (at least two thirds of the lease when it is longer).
 *
 * <p>Failures (an unknown role, a denied path, a refused renewal) are logged with the path and Vault's
 * error, never a value; the current credentials are served until their lease ends, the backend reports
 * DEGRADED meanwhile, and the replacement is retried with backoff (1 s doubling to 30 s, within the
 * lease). Every call has the backend's deadline ({@code SECRETS_VAULT_READ_TIMEOUT}). Lease ids are not
 * logged. Tasks run on the resolver's scheduler; {@link #close()} revokes every lease it holds.
 */
final class DynamicCredentials implements AutoCloseable {
  /** Sends one request with the session token (the backend's call: re-login on a vanished token). */
  @FunctionalInterface
  interface Caller {
    VaultHttp.Response call(String method, String apiPath, @Nullable String body, String logicalPath);
  }

  private static final Duration MIN_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  /** One issued lease and its credentials. */
  private record Lease(String leaseId, boolean renewable, Duration duration, Instant issuedAt, Instant expiresAt,
      Map<String, String> fields, long generation) {
    @Override
    public String toString() {
      return "Lease[generation " + generation + ", ends " + expiresAt + "]";
    }
  }

  /** One dynamic path; its state is guarded by the object's monitor. */
  private final class Source {
    final VaultDynamicOptions.Source spec;
    // written under the monitor, read without it: reads of a live lease and health never wait on a Vault call
    volatile @Nullable Lease current;
    long generation;
    final List<Lease> retiring = new ArrayList<>();
    TaskScheduler.@Nullable Cancellable next;
    volatile @Nullable String problem;
    Duration retry = MIN_RETRY;
    boolean shortLeaseLogged;

    Source(VaultDynamicOptions.Source spec) {
      this.spec = spec;
    }

    String describe() {
      return "Vault dynamic secret " + spec.path() + " (" + String.join(", ", spec.fields().keySet()) + ")";
    }
  }

  private final String backendId;
  private final VaultHttp http;
  private final Caller caller;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final System.Logger log;
  private final VaultDynamicOptions options;
  private final List<Source> sources = new ArrayList<>();
  private final Map<String, Source> byKey = new LinkedHashMap<>();
  private volatile @Nullable BackendChangeListener listener;
  private volatile boolean closed;

  DynamicCredentials(String backendId, VaultHttp http, Caller caller, TaskScheduler scheduler, Clock clock,
      System.Logger log, VaultDynamicOptions options) {
    this.backendId = backendId;
    this.http = http;
    this.caller = caller;
    this.scheduler = scheduler;
    this.clock = clock;
    this.log = log;
    this.options = options;
    for (VaultDynamicOptions.Source spec : options.sources()) {
      Source s = new Source(spec);
      sources.add(s);
      for (String key : spec.fields().keySet()) {
        byKey.put(key, s);
      }
    }
  }

  boolean isEmpty() {
    return sources.isEmpty();
  }

  boolean owns(String key) {
    return byKey.containsKey(key);
  }

  Set<String> keys() {
    return byKey.keySet();
  }

  String describe() {
    List<String> out = new ArrayList<>();
    for (Source s : sources) {
      out.add("dynamic:" + s.spec.path());
    }
    return String.join(",", out);
  }

  void watch(BackendChangeListener l) {
    listener = l;
  }

  /**
   * The current credentials of every source that serves one of {@code keys} (all of a source's keys, so
   * a group is one lease); a source without a live lease reads one now.
   *
   * @throws SecretsException when a needed lease cannot be read
   */
  Map<String, Secret> fetchAll(Collection<String> keys) {
    Map<String, Secret> out = new LinkedHashMap<>();
    Set<Source> wanted = new LinkedHashSet<>();
    for (String key : keys) {
      Source s = byKey.get(key);
      if (s != null) {
        wanted.add(s);
      }
    }
    for (Source s : wanted) {
      Lease lease = s.current;
      if (lease == null || !clock.instant().isBefore(lease.expiresAt())) {
        synchronized (s) {
          lease = s.current;
          if (lease == null || !clock.instant().isBefore(lease.expiresAt())) {
            if (closed) {
              // close() revoked what it knew; a lease read now would never be revoked
              throw new BackendUnavailableException(backendId, s.describe() + ": the backend is closed");
            }
            Lease expired = lease;
            lease = read(s);
            install(s, lease, expired);
          }
        }
      }
      for (Map.Entry<String, String> e : s.spec.fields().entrySet()) {
        out.put(e.getKey(), secretOf(e.getKey(), lease.fields().get(e.getValue()), lease));
      }
    }
    return out;
  }

  /**
   * Why a lease could not be renewed or replaced, until it can, and whether the credentials served have
   * expired meanwhile (then they are useless: DOWN, not DEGRADED). Reads volatile state only: a health check
   * never waits on a Vault call in progress.
   */
  Optional<Problem> problem() {
    Instant now = clock.instant();
    for (Source s : sources) {
      String problem = s.problem;
      if (problem != null) {
        Lease lease = s.current;
        if (lease != null && !now.isBefore(lease.expiresAt())) {
          return Optional.of(new Problem(s.describe() + ": its lease ended at " + lease.expiresAt()
              + " and new credentials cannot be read (" + problem + ")", true));
        }
        return Optional.of(new Problem(problem, false));
      }
    }
    return Optional.empty();
  }

  /** A lease problem; {@code expired} when the credentials it concerns are past their lease. */
  record Problem(String message, boolean expired) {}

  // ---------------------------------------------------------------- lease steps (scheduler threads)

  /** Makes {@code lease} current, retires {@code old} (revoked after the grace) and plans the next step. */
  private void install(Source s, Lease lease, @Nullable Lease old) {
    s.current = lease;
    s.problem = null;
    s.retry = MIN_RETRY;
    if (old != null) {
      retire(s, old);
    }
    planAfterRenewal(s, lease, lease.renewable());
  }

  private void retire(Source s, Lease old) {
    Instant now = clock.instant();
    Instant revokeAt = now.plus(options.grace());
    if (!revokeAt.isBefore(old.expiresAt())) {
      // it ends by itself before the grace is over; Vault revokes it then
      log.log(System.Logger.Level.DEBUG, "{0}: the previous lease ends at {1}, within the grace period; Vault "
          + "revokes it then", s.describe(), old.expiresAt());
      return;
    }
    s.retiring.add(old);
    scheduler.schedule(() -> revoke(s, old), Duration.between(now, revokeAt));
  }

  private void planAfterRenewal(Source s, Lease lease, boolean mayRenew) {
    Instant now = clock.instant();
    Duration left = Duration.between(now, lease.expiresAt());
    if (left.isNegative()) {
      left = Duration.ZERO;
    }
    Duration byMargin = left.minus(options.margin());
    Duration floor = left.dividedBy(3);
    Duration delay;
    Runnable step;
    if (mayRenew) {
      delay = min(left.multipliedBy(2).dividedBy(3), byMargin);
      step = () -> renew(s, lease);
    } else {
      delay = byMargin;
      step = () -> replace(s, lease);
    }
    boolean shortLease = lease.duration().compareTo(options.margin()) <= 0;
    if (delay.compareTo(floor) < 0 && (mayRenew || shortLease)) {
      // the margin is longer than what is left: renew a third of the way in, not in a tight loop; and a lease
      // that is no longer than the margin as issued would be replaced as soon as it is read, forever (a lease
      // cut short by the role's max TTL is replaced at once: its successor is a whole new lease)
      if (!mayRenew && !s.shortLeaseLogged) {
        s.shortLeaseLogged = true;
        log.log(System.Logger.Level.WARNING, "{0}: leases of {1}s are not longer than {2} ({3}s): new "
            + "credentials are read a third of the way into each lease; lower the margin or raise the role's TTL",
            s.describe(), lease.duration().toSeconds(), VaultDynamicOptions.MARGIN, options.margin().toSeconds());
      }
      delay = floor;
    } else if (delay.isNegative()) {
      delay = Duration.ZERO; // less than the margin is left: replace now
    }
    schedule(s, step, delay);
  }

  private void schedule(Source s, Runnable step, Duration delay) {
    if (closed) {
      return;
    }
    TaskScheduler.Cancellable previous = s.next;
    if (previous != null) {
      previous.cancel();
    }
    s.next = scheduler.schedule(step, delay);
  }

  private void renew(Source s, Lease lease) {
    if (closed) {
      return;
    }
    synchronized (s) {
      if (s.current != lease) {
        return;
      }
    }
    long increment = Math.max(1, lease.duration().toSeconds());
    String body = "{\"lease_id\":" + Json.value(lease.leaseId()) + ",\"increment\":" + increment + "}";
    long granted;
    boolean renewable;
    try {
      // outside the monitor: reads of the live lease and health checks must not wait on Vault
      VaultHttp.Response r = caller.call("PUT", "sys/leases/renew", body, "sys/leases/renew");
      if (r.status() / 100 != 2) {
        throw new BackendUnavailableException(backendId, s.describe() + ": lease renewal refused (Vault "
            + "answered " + r.status() + errors(r) + ")");
      }
      JsonObject json = http.json(r, "PUT", "sys/leases/renew");
      granted = JsonFields.longOr(json, "lease_duration", 0);
      renewable = JsonFields.boolOr(json, "renewable", false);
    } catch (SecretsException e) {
      synchronized (s) {
        if (s.current != lease || closed) {
          return;
        }
        String problem = e.getMessage() + "; the current credentials are served until their lease ends at "
            + lease.expiresAt();
        s.problem = problem;
        log.log(System.Logger.Level.WARNING, "{0}; reading new credentials instead", problem);
        schedule(s, () -> replace(s, lease), Duration.ZERO);
      }
      return;
    }
    synchronized (s) {
      if (s.current != lease || closed) {
        return; // replaced (or closed) while Vault answered
      }
      Instant now = clock.instant();
      Lease renewed = new Lease(lease.leaseId(), renewable, lease.duration(), lease.issuedAt(),
          now.plusSeconds(granted), lease.fields(), lease.generation());
      s.current = renewed;
      s.problem = null;
      // a grant shorter than asked is the role's max TTL: no further renewal can help
      boolean capped = granted < increment;
      log.log(System.Logger.Level.DEBUG, "{0}: lease renewed for {1}s{2}", s.describe(), granted,
          capped ? " (the role's max TTL: new credentials will be read before it ends)" : "");
      planAfterRenewal(s, renewed, renewable && !capped);
    }
  }

  private void replace(Source s, Lease lease) {
    if (closed) {
      return;
    }
    BackendChangeListener l;
    synchronized (s) {
      if (s.current != lease) {
        return;
      }
      Lease fresh;
      try {
        fresh = read(s);
      } catch (SecretsException e) {
        Instant now = clock.instant();
        Duration wait = s.retry;
        s.retry = min(s.retry.multipliedBy(2), MAX_RETRY);
        String problem = e.getMessage() + "; the current credentials are served until their lease ends at "
            + lease.expiresAt() + ", retrying in " + wait.toSeconds() + "s";
        s.problem = problem;
        log.log(System.Logger.Level.WARNING, problem);
        if (now.plus(wait).isBefore(lease.expiresAt())) {
          schedule(s, () -> replace(s, lease), wait);
        } else {
          // past the lease's end the next read asks Vault again (and fails loudly if it still cannot)
          s.next = null;
        }
        return;
      }
      install(s, fresh, lease);
      log.log(System.Logger.Level.INFO, "{0}: new credentials (generation {1}, lease {2}s); the previous ones "
          + "stay valid until {3}", s.describe(), fresh.generation(), fresh.duration().toSeconds(),
          oldEnd(lease));
      l = listener;
    }
    if (l != null) {
      l.changed(s.spec.fields().keySet());
    }
  }

  private Instant oldEnd(Lease old) {
    Instant revokeAt = clock.instant().plus(options.grace());
    return revokeAt.isBefore(old.expiresAt()) ? revokeAt : old.expiresAt();
  }

  private void revoke(Source s, Lease old) {
    synchronized (s) {
      if (!s.retiring.remove(old)) {
        return; // already revoked by close()
      }
    }
    revokeNow(s, old);
  }

  private void revokeNow(Source s, Lease old) {
    String body = "{\"lease_id\":" + Json.value(old.leaseId()) + "}";
    try {
      VaultHttp.Response r = caller.call("PUT", "sys/leases/revoke", body, "sys/leases/revoke");
      if (r.status() / 100 != 2) {
        log.log(System.Logger.Level.WARNING, "{0}: revoking the lease of generation {1} was refused (Vault "
            + "answered {2}{3}); it ends by itself at {4}", s.describe(), old.generation(), r.status(), errors(r),
            old.expiresAt());
        return;
      }
      log.log(System.Logger.Level.INFO, "{0}: revoked the lease of generation {1}", s.describe(), old.generation());
    } catch (SecretsException e) {
      log.log(System.Logger.Level.WARNING, "{0}: revoking the lease of generation {1} failed: {2}; it ends by "
          + "itself at {3}", s.describe(), old.generation(), e.getMessage(), old.expiresAt());
    }
  }

  // ---------------------------------------------------------------- reads

  /** Reads new credentials for {@code s}; the caller holds its monitor. */
  private Lease read(Source s) {
    String path = s.spec.path();
    VaultHttp.Response r = caller.call("GET", encode(path), null, path);
    if (r.status() == 400 || r.status() == 404) {
      // database/creds/<unknown role> answers 400 "unknown role"; an unknown mount 404
      throw new BackendConfigurationException(backendId, s.describe() + " could not be read: Vault answered "
          + r.status() + errors(r) + "; check the path in " + VaultDynamicOptions.DYNAMIC + " and that the role "
          + "exists (e.g. `bao read " + rolePath(path) + "`)");
    }
    if (r.status() / 100 != 2) {
      throw new BackendUnavailableException(backendId, s.describe() + " could not be read: Vault answered "
          + r.status() + errors(r) + "; check the server's logs");
    }
    JsonObject json = http.json(r, "GET", path);
    String leaseId = JsonFields.stringOr(json, "lease_id", "");
    long seconds = JsonFields.longOr(json, "lease_duration", 0);
    JsonValue dataValue = json.get("data");
    if (leaseId == null || leaseId.isEmpty() || seconds <= 0 || dataValue == null || !dataValue.isObject()) {
      throw new BackendConfigurationException(backendId, s.describe() + " answered without a lease or data: "
          + "is " + path + " a dynamic secrets path (database/creds/<role>)? KV paths belong in VAULT_PATH");
    }
    JsonObject data = dataValue.asObject();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : s.spec.fields().values()) {
      JsonValue v = data.get(field);
      if (v == null || !v.isString()) {
        throw new BackendConfigurationException(backendId, s.describe() + ": the answer has no text field '"
            + field + "' (it has " + data.names() + "); map the key to one of those fields, KEY=field");
      }
      fields.put(field, v.asString());
    }
    Instant now = clock.instant();
    s.generation++;
    return new Lease(leaseId, JsonFields.boolOr(json, "renewable", false), Duration.ofSeconds(seconds), now,
        now.plusSeconds(seconds), Map.copyOf(fields), s.generation);
  }

  private Secret secretOf(String key, @Nullable String value, Lease lease) {
    SecretValue v = SecretValue.of(java.util.Objects.requireNonNull(value, "read checks every field"));
    SecretVersion version = SecretVersion.of(Long.toString(lease.generation()), lease.issuedAt(), Set.of(), true,
        SecretVersion.State.ENABLED);
    Duration left = Duration.between(clock.instant(), lease.expiresAt());
    return new Secret(key, v, version, backendId, clock.instant(), left.isNegative() ? Duration.ZERO : left);
  }

  /**
   * Vault's own error text, for a refusal (4xx: unknown role, permission denied, lease not found). A 5xx on these
   * paths carries the database plugin's error, which can quote the statement it ran, new password included
   * (PostgreSQL's "syntax error at or near ..."), so it is not repeated: Vault's server log has it.
   */
  private String errors(VaultHttp.Response r) {
    if (r.status() >= 500) {
      return " (its error text is not repeated: a database plugin's error can quote the statement it ran, new "
          + "credentials included)";
    }
    String e = http.errorsOf(r);
    return e.isEmpty() ? "" : ": " + e;
  }

  /** {@code database/creds/app} -> {@code database/roles/app}, for the hint. */
  private static String rolePath(String path) {
    int i = path.lastIndexOf("/creds/");
    return i < 0 ? path : path.substring(0, i) + "/roles/" + path.substring(i + "/creds/".length());
  }

  private static String encode(String path) {
    StringBuilder sb = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops the schedule and revokes every lease held (current and retiring), each within the deadline. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Source s : sources) {
      List<Lease> toRevoke = new ArrayList<>();
      synchronized (s) {
        TaskScheduler.Cancellable n = s.next;
        if (n != null) {
          n.cancel();
        }
        toRevoke.addAll(s.retiring);
        s.retiring.clear();
        Lease c = s.current;
        if (c != null && clock.instant().isBefore(c.expiresAt())) {
          toRevoke.add(c);
        }
        s.current = null;
      }
      for (Lease l : toRevoke) {
        revokeNow(s, l);
      }
    }
  }
}
