package org.nexusreussite.secrets.vault.internal;

import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.spi.TaskScheduler;
import org.nexusreussite.secrets.spi.support.Jitter;
import org.nexusreussite.secrets.vault.VaultAuth;
import org.nexusreussite.secrets.vault.VaultOptions;

/**
 * Holds the backend's Vault token and keeps it alive: logs in (AppRole, Kubernetes) or looks the given
 * token up on first use, renews it at about two thirds of its TTL (with jitter, on the shared
 * scheduler), and logs in again when renewal fails or Vault says the token is gone. Non-renewable login
 * tokens are replaced by a new login before they expire; a non-renewable fixed token is only warned
 * about. Tokens never appear in a log line, a message or {@code toString()}. Thread-safe.
 */
public final class VaultSession implements AutoCloseable {
  private static final Duration MIN_DELAY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final String backendId;
  private final VaultHttp http;
  private final VaultAuth auth;
  private final TaskScheduler scheduler;
  private final Clock clock;
  private final System.Logger log;
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong logins = new AtomicLong();

  private volatile @Nullable String token;
  private Duration grantedTtl = Duration.ZERO;
  private boolean renewable;
  private volatile @Nullable Instant expiresAt;
  /** Why the last renewal or re-login failed, until one succeeds; read by {@link #renewalProblem()}. */
  private volatile @Nullable String renewalProblem;
  private TaskScheduler.@Nullable Cancellable task;
  private boolean closed;

  /** A session that starts on the first {@link #token()}. */
  public VaultSession(String backendId, VaultHttp http, VaultAuth auth, TaskScheduler scheduler, Clock clock,
      System.Logger log) {
    this.backendId = backendId;
    this.http = http;
    this.auth = auth;
    this.scheduler = scheduler;
    this.clock = clock;
    this.log = log;
  }

  /**
   * The current token, logging in or looking it up first if this is the first use.
   *
   * @throws BackendAuthenticationException when Vault refuses the credentials
   * @throws org.nexusreussite.secrets.BackendUnavailableException when Vault cannot be reached
   */
  public String token() {
    String t = token;
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (token == null) {
        start();
      }
      // start() sets the token or throws
      return Objects.requireNonNull(token, "token");
    }
  }

  /** Logins performed so far (for diagnostics and tests). */
  public long logins() {
    return logins.get();
  }

  /**
   * Why keeping the token alive fails (renewal or re-login refused or unreachable), while it does; empty once
   * a renewal or login succeeds. No I/O.
   */
  public java.util.Optional<String> renewalProblem() {
    return java.util.Optional.ofNullable(renewalProblem);
  }

  private String expiry() {
    Instant at = expiresAt;
    return at == null ? "" : " (the token expires at " + at + ")";
  }

  /** Successful renewals so far (for diagnostics and tests). */
  public long renewals() {
    return renewals.get();
  }

  /** The authentication method's name. */
  public String method() {
    return auth.method();
  }

  /**
   * Called after a 403 made with {@code usedToken}: when the token is gone (its lookup is refused) and
   * this session can log in, logs in again and returns true so the caller retries once. Returns false
   * when the token is still valid (the 403 is a policy matter) or no login is possible.
   */
  public boolean reauthenticateIfTokenGone(String usedToken) {
    if (!auth.canLogin()) {
      return false;
    }
    synchronized (this) {
      if (!usedToken.equals(token)) {
        return token != null; // someone else already replaced it
      }
      VaultHttp.Response r = http.send("GET", "auth/token/lookup-self", usedToken, null, true);
      if (r.status() != 403 && r.status() != 401) {
        return false;
      }
      log.log(System.Logger.Level.INFO, "Vault token of the {0} login is no longer valid; logging in again",
          auth.method());
      login();
      return true;
    }
  }

  private void start() {
    if (auth instanceof VaultAuth.Token t) {
      VaultHttp.Response r = http.send("GET", "auth/token/lookup-self", t.token(), null, true);
      if (r.status() == 403 || r.status() == 401) {
        throw new BackendAuthenticationException(backendId, "Failed to authenticate with Vault: permission denied "
            + "on auth/token/lookup-self with the token from " + t.source()
            + " (check VAULT_TOKEN validity and the token's policies)");
      }
      if (r.status() != 200) {
        throw new BackendAuthenticationException(backendId, "Failed to authenticate with Vault: looking up the token "
            + "from " + t.source() + " answered " + r.status() + "; check VAULT_TOKEN");
      }
      JsonObject data = object(http.json(r, "GET", "auth/token/lookup-self").get("data"));
      long ttl = data == null ? 0 : JsonFields.longOr(data, "ttl", 0);
      boolean canRenew = data != null && JsonFields.boolOr(data, "renewable", false);
      token = t.token();
      adopt(Duration.ofSeconds(ttl), canRenew);
      return;
    }
    login();
  }

  /** Logs in and adopts the new token; caller holds the lock or is starting. */
  private synchronized void login() {
    String mount;
    JsonObject body = new JsonObject();
    String hint;
    if (auth instanceof VaultAuth.AppRole a) {
      mount = a.mount();
      body.add("role_id", a.roleId());
      // AppRole holds exactly one of the secret id and its file
      String secretId = a.secretId();
      body.add("secret_id", secretId != null ? secretId : readFile(Objects.requireNonNull(a.secretIdFile(),
          "secretIdFile"), VaultOptions.SECRET_ID_FILE));
      hint = "check " + VaultOptions.ROLE_ID + " and " + VaultOptions.SECRET_ID
          + " (a secret id may have expired or reached its use limit)";
    } else if (auth instanceof VaultAuth.Kubernetes k) {
      mount = k.mount();
      body.add("role", k.role());
      body.add("jwt", readFile(k.tokenFile(), VaultOptions.K8S_TOKEN_FILE));
      hint = "check " + VaultOptions.K8S_ROLE + " and that the role is bound to this pod's service account";
    } else {
      throw new IllegalStateException("a fixed token cannot log in");
    }
    String path = "auth/" + mount + "/login";
    VaultHttp.Response r = http.send("POST", path, null, body.toString(), true);
    if (r.status() != 200) {
      throw new BackendAuthenticationException(backendId, "Failed to authenticate with Vault: " + auth.method()
          + " login at " + path + " was refused (" + r.status() + (r.status() == 400 || r.status() == 403
          ? ": " + http.errorsOf(r) : "") + "); " + hint);
    }
    JsonObject authData = object(http.json(r, "POST", path).get("auth"));
    String newToken = authData == null ? null : JsonFields.stringOr(authData, "client_token", null);
    if (authData == null || newToken == null || newToken.isBlank()) {
      throw new BackendAuthenticationException(backendId, "Failed to authenticate with Vault: " + path
          + " answered without a client token; check the auth method's configuration");
    }
    logins.incrementAndGet();
    token = newToken;
    adopt(Duration.ofSeconds(JsonFields.longOr(authData, "lease_duration", 0)),
        JsonFields.boolOr(authData, "renewable", false));
  }

  private synchronized void adopt(Duration ttl, boolean canRenew) {
    renewalProblem = null;
    grantedTtl = ttl;
    renewable = canRenew;
    expiresAt = ttl.isZero() ? null : clock.instant().plus(ttl);
    cancelTask();
    if (closed || ttl.isZero()) {
      return; // a token without TTL (root, or a non-expiring token) needs no care
    }
    if (!canRenew && !auth.canLogin()) {
      log.log(System.Logger.Level.WARNING, "The Vault token ({0}) is not renewable and expires in {1}s; reads "
          + "will fail after that. Use a renewable token, or AppRole / Kubernetes login", auth, ttl.toSeconds());
      return;
    }
    Duration due = Jitter.earlier(ttl.multipliedBy(2).dividedBy(3), ttl.dividedBy(10));
    scheduleMaintenance(due.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : due);
  }

  private void scheduleMaintenance(Duration delay) {
    task = scheduler.schedule(this::maintain, delay);
  }

  /** Renews the token, or logs in again; never throws (it runs on the scheduler). */
  private void maintain() {
    boolean canRenew;
    synchronized (this) {
      if (closed) {
        return;
      }
      canRenew = renewable;
    }
    try {
      if (!canRenew) {
        login();
        return;
      }
      // maintenance is scheduled only once a token was adopted, and nothing clears it
      String used = Objects.requireNonNull(token, "token");
      VaultHttp.Response r = http.send("POST", "auth/token/renew-self", used, "{}", true);
      if (r.status() == 200) {
        JsonObject a = object(http.json(r, "POST", "auth/token/renew-self").get("auth"));
        Duration ttl = Duration.ofSeconds(a == null ? 0 : JsonFields.longOr(a, "lease_duration", 0));
        renewals.incrementAndGet();
        synchronized (this) {
          // a renewal capped by the token's max TTL will soon fail: log in afresh instead when possible
          if (auth.canLogin() && ttl.compareTo(grantedTtl.dividedBy(3)) < 0) {
            login();
          } else if (used.equals(token)) {
            adopt(ttl, a != null && JsonFields.boolOr(a, "renewable", true));
          }
        }
        return;
      }
      if (auth.canLogin()) {
        log.log(System.Logger.Level.INFO, "Renewing the Vault token answered {0}; logging in again", r.status());
        login();
        return;
      }
      renewalProblem = "renewing the Vault token answered " + r.status() + "; reads will fail once it expires"
          + expiry() + ". Provide a valid VAULT_TOKEN";
      log.log(System.Logger.Level.ERROR, "Renewing the Vault token from {0} answered {1}; reads will fail once it "
          + "expires. Provide a valid VAULT_TOKEN", ((VaultAuth.Token) auth).source(), r.status());
    } catch (SecretsException e) {
      // unreachable or refused for now: try again well before expiry
      Instant now = clock.instant();
      Duration left = expiresAt == null ? MAX_RETRY : Duration.between(now, expiresAt);
      Duration retry = left.dividedBy(3);
      if (retry.compareTo(MAX_RETRY) > 0) {
        retry = MAX_RETRY;
      }
      if (retry.compareTo(MIN_DELAY) < 0) {
        retry = MIN_DELAY;
      }
      renewalProblem = "could not keep the Vault token alive" + expiry() + ", retrying in " + retry.toSeconds()
          + "s: " + e.getMessage();
      log.log(System.Logger.Level.WARNING, "Could not keep the Vault token alive, retrying in {0}s: {1}",
          retry.toSeconds(), e.getMessage());
      synchronized (this) {
        if (!closed) {
          cancelTask();
          scheduleMaintenance(retry);
        }
      }
    }
  }

  private String readFile(Path file, String setting) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (s.isEmpty()) {
        throw new BackendConfigurationException(backendId, "The file " + file + " (" + setting + ") is empty");
      }
      return s;
    } catch (IOException e) {
      throw new BackendConfigurationException(backendId, "Could not read " + file + " (" + setting + "): "
          + e.getClass().getSimpleName(), e);
    }
  }

  private static @Nullable JsonObject object(@Nullable JsonValue v) {
    return v != null && v.isObject() ? v.asObject() : null;
  }

  private void cancelTask() {
    if (task != null) {
      task.cancel();
      task = null;
    }
  }

  /** Stops renewing. The token is left alone (other processes may share it). Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    cancelTask();
  }

  @Override
  public String toString() {
    return "VaultSession[" + auth.method() + ", renewals=" + renewals + ", logins=" + logins + "]";
  }
}
