package org.nexusreussite.secrets.hikari;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.Credentials;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.Subscription;

/**
 * Keeps a {@link HikariDataSource} on the current database credentials of a {@link SecretResolver}: one
 * call binds the pool to a user/password pair of keys (or one URL key with the credentials in it), and on
 * every rotation of the pair the pool gets the new pair first ({@code setCredentials}) and then retires
 * its connections softly ({@code softEvictConnections}): idle connections close at once, borrowed ones
 * finish their work on the old credentials and close when returned, and every connection opened from
 * then on uses the new pair.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource();
 * pool.setJdbcUrl("jdbc:postgresql://db:5432/app");
 * Subscription binding = HikariCredentialRotation.bind(resolver, pool, "DB_USER", "DB_PASSWORD");
 * // ... on shutdown:
 * binding.close();
 * pool.close();
 * }</pre>
 *
 * <p>The pair is read as one consistent {@link SecretGroup} (never the user of one generation with the
 * password of the next) and the swap is driven by the resolver's
 * {@link SecretResolver#onGroupRotation group rotation}. The old credentials must stay valid as long as a
 * borrowed connection may still use them: the longest transaction plus the pool's {@code maxLifetime} is
 * the safe bound; a Vault lease's grace period or a static rotation's grace window provides it (see the
 * module README).
 *
 * <p>Logs (System.Logger {@code org.nexusreussite.secrets.hikari}) each swap with the keys, versions,
 * source backend and connection counts; never a user name, password or URL. Thread-safe: swaps of one
 * binding are serialized.
 */
public final class HikariCredentialRotation {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets.hikari");
  /**
   * HikariCP 7.0 added credentials providers; 6.x has none, and calling their getter there fails with
   * NoSuchMethodError, so it is called only when the type exists.
   */
  private static final boolean HAS_CREDENTIALS_PROVIDERS = hasCredentialsProviders();

  private HikariCredentialRotation() {}

  private static boolean hasCredentialsProviders() {
    try {
      Class.forName("com.zaxxer.hikari.HikariCredentialsProvider", false,
          HikariDataSource.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException ex) {
      return false;
    }
  }

  /**
   * Binds {@code dataSource} to the pair {@code userKey}/{@code passwordKey}: sets the current pair now
   * (a pool that has not started yet opens with it) and swaps it on every rotation of either key.
   *
   * @param resolver where the pair is read and rotation events come from
   * @param dataSource the pool; started or not (a pool built with the no-argument constructor starts on
   *     its first {@code getConnection()})
   * @param userKey key of the database user
   * @param passwordKey key of the password
   * @return a handle whose {@code close()} stops the swaps (the pool keeps the credentials it has)
   * @throws org.nexusreussite.secrets.SecretNotFoundException when a key is held by no backend
   * @throws IllegalArgumentException when a key is not valid, or both keys are the same
   * @throws IllegalStateException when the pool has a {@code HikariCredentialsProvider}, which would
   *     override the credentials this binding sets
   */
  public static Subscription bind(SecretResolver resolver, HikariDataSource dataSource, String userKey,
      String passwordKey) {
    Keys.requireValid(userKey);
    Keys.requireValid(passwordKey);
    if (userKey.equals(passwordKey)) {
      throw new IllegalArgumentException("The user key and the password key are both '" + userKey
          + "': bind two keys, or use bindUrl for one URL key with the credentials in it");
    }
    return new Binding(resolver, dataSource, List.of(userKey, passwordKey),
        group -> new PoolCredentials(group.get(userKey), group.get(passwordKey), null)).start();
  }

  /**
   * Binds {@code dataSource} to one URL key with the credentials in it:
   * {@code scheme://user:password@host:port/db} (percent-encoded user info) or a JDBC URL with
   * {@code user=} and {@code password=} parameters. A pool that has not started yet also gets the URL
   * itself, without the credentials ({@code jdbc:} is prefixed when missing, and {@code postgres://}
   * becomes {@code jdbc:postgresql://}); a started pool cannot move to another host or database, so a
   * rotation that changes more than the credentials swaps the credentials and logs a warning that the
   * pool must be rebuilt to move.
   *
   * @return a handle whose {@code close()} stops the swaps
   * @throws org.nexusreussite.secrets.SecretNotFoundException when the key is held by no backend
   * @throws IllegalArgumentException when the key is not valid or its URL holds no user and password
   * @throws IllegalStateException when the pool has a {@code HikariCredentialsProvider}
   */
  public static Subscription bindUrl(SecretResolver resolver, HikariDataSource dataSource, String urlKey) {
    Keys.requireValid(urlKey);
    return new Binding(resolver, dataSource, List.of(urlKey),
        group -> JdbcUrlCredentials.parse(urlKey, group.get(urlKey))).start();
  }

  /** User, password and, for a URL key, the URL without credentials. Never printed. */
  record PoolCredentials(String user, String password, @Nullable String location) {
    @Override
    public String toString() {
      return "PoolCredentials[redacted]";
    }
  }

  /** How a binding turns the group into credentials. */
  @FunctionalInterface
  interface Extractor {
    PoolCredentials extract(SecretGroup group);
  }

  /** One pool bound to one group of keys. */
  static final class Binding {
    private final SecretResolver resolver;
    private final HikariDataSource dataSource;
    private final List<String> keys;
    private final Extractor extractor;
    private @Nullable Subscription subscription;
    private volatile boolean closed;

    Binding(SecretResolver resolver, HikariDataSource dataSource, List<String> keys, Extractor extractor) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.keys = keys;
      this.extractor = extractor;
    }

    Subscription start() {
      if (HAS_CREDENTIALS_PROVIDERS) {
        Object provider = dataSource.getCredentialsProvider();
        if (provider != null) {
          throw new IllegalStateException("HikariCP pool " + poolName() + " has a HikariCredentialsProvider ("
              + provider.getClass().getName() + "), which overrides the credentials that binding " + keys
              + " would set: remove the provider or do not bind the pool");
        }
      }
      // subscribe first, then read: a rotation between the two is either seen by the read (the cache
      // already holds it) or delivered to the listener afterwards; both run under the same lock
      Subscription s = resolver.onGroupRotation(keys, group -> swap());
      subscription = s;
      try {
        synchronized (this) {
          SecretGroup group = resolver.group(keys.toArray(new String[0]));
          apply(extractor.extract(group), group, false);
        }
      } catch (RuntimeException ex) {
        s.close();
        throw ex;
      }
      return this::close;
    }

    private void close() {
      closed = true;
      Subscription s = subscription;
      if (s != null) {
        s.close();
      }
    }

    /**
     * Reads the group again under the lock rather than using the delivered one: deliveries from two
     * refresh threads may arrive out of order, the cache's current group never goes backwards.
     */
    synchronized void swap() {
      if (closed) {
        return;
      }
      SecretGroup group;
      PoolCredentials next;
      try {
        group = resolver.group(keys.toArray(new String[0]));
        next = extractor.extract(group);
      } catch (SecretsException | IllegalArgumentException ex) {
        // SecretsException messages never carry values; ours (IllegalArgumentException) name the key only
        LOG.log(System.Logger.Level.WARNING, "HikariCP pool " + poolName() + ": " + keys
            + " rotated but could not be read as credentials; the pool keeps its current credentials: "
            + ex.getMessage());
        return;
      }
      apply(next, group, true);
    }

    private void apply(PoolCredentials next, SecretGroup group, boolean rotation) {
      Credentials now = dataSource.getCredentials();
      String location = next.location();
      boolean sameCredentials = now != null && next.user().equals(now.getUsername())
          && next.password().equals(now.getPassword());
      boolean sameLocation = location == null || location.equals(dataSource.getJdbcUrl());
      if (sameCredentials && sameLocation) {
        LOG.log(System.Logger.Level.DEBUG, "HikariCP pool {0}: {1} unchanged, nothing to swap", poolName(),
            describe(group));
        return;
      }
      // order matters (TEST-PEERS): new credentials first, so that the refill after the eviction opens
      // connections with them; evicting first would refill with the old pair
      dataSource.setCredentials(Credentials.of(next.user(), next.password()));
      HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
      if (location != null && !sameLocation) {
        if (pool == null && !dataSource.isClosed()) {
          dataSource.setJdbcUrl(location);
        } else {
          LOG.log(System.Logger.Level.WARNING, "HikariCP pool {0}: {1} now names another host, port or "
              + "database; a started pool cannot move, so only its credentials were swapped: rebuild the "
              + "pool to move it", poolName(), describe(group));
        }
      }
      if (dataSource.isClosed()) {
        LOG.log(System.Logger.Level.DEBUG, "HikariCP pool {0} is closed: credentials from {1} set, nothing "
            + "to evict", poolName(), describe(group));
      } else if (pool == null) {
        LOG.log(System.Logger.Level.INFO, "HikariCP pool {0} has not started: credentials from {1} set, it "
            + "will open its connections with them", poolName(), describe(group));
      } else if (sameCredentials) {
        LOG.log(System.Logger.Level.DEBUG, "HikariCP pool {0}: credentials from {1} unchanged, no eviction",
            poolName(), describe(group));
      } else {
        int idle = pool.getIdleConnections();
        int active = pool.getActiveConnections();
        pool.softEvictConnections();
        LOG.log(System.Logger.Level.INFO, "HikariCP pool {0}: {1} credentials from {2} set, then soft "
            + "eviction: {3} idle connections closed now, {4} in use finish on the old credentials and close "
            + "when returned", poolName(), rotation ? "rotated" : "bound", describe(group), idle, active);
      }
    }

    private String poolName() {
      String name = dataSource.getPoolName();
      return name == null ? "(unnamed)" : "'" + name + "'";
    }

    /** Keys, versions and backends: never values. */
    private static String describe(SecretGroup group) {
      StringBuilder sb = new StringBuilder();
      String sep = "";
      for (Secret s : group.secrets().values()) {
        sb.append(sep).append(s.key()).append(" v").append(s.version().id()).append(" (").append(s.backend())
            .append(')');
        sep = ", ";
      }
      return sb.toString();
    }
  }
}
