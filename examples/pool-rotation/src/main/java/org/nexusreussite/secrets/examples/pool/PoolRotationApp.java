package org.nexusreussite.secrets.examples.pool;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.hikari.HikariCredentialRotation;

/**
 * Runs queries through a HikariCP pool bound to {@code DB_USER}/{@code DB_PASSWORD} while the store
 * rotates them, and reports how many queries ran, how many failed, and which credential generations the
 * pool went through.
 *
 * <pre>
 * VAULT_ADDR=... VAULT_TOKEN=... SECRETS_VAULT_DYNAMIC=DB_USER,DB_PASSWORD@database/creds/app \
 * POOL_JDBC_URL=jdbc:postgresql://db:5432/app java -cp ... PoolRotationApp 60 8
 * </pre>
 */
public final class PoolRotationApp {
  /** The JDBC URL of the database (without credentials): a setting, not a secret. */
  public static final String JDBC_URL = "POOL_JDBC_URL";

  private PoolRotationApp() {}

  /**
   * What a run saw. Generations are the credential versions the pool was given, in order; users are the
   * distinct {@code current_user} values the queries ran as (names of database users, no passwords).
   */
  public record Report(long queries, long failed, List<String> generations, Set<String> users,
      Map<String, Long> failures) {
    @Override
    public String toString() {
      return "queries run: " + queries + ", failed: " + failed + ", credential generations: " + generations.size()
          + " " + generations + ", database users seen: " + users.size()
          + (failures.isEmpty() ? "" : ", failures by SQLState: " + failures);
    }
  }

  /** {@code PoolRotationApp [seconds] [threads]}: the resolver and the JDBC URL from the environment. */
  public static void main(String[] args) throws Exception {
    Duration duration = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 60);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    String url = SecretsConfig.fromEnvironment().get(JDBC_URL)
        .orElseThrow(() -> new IllegalArgumentException(JDBC_URL + " is not set: the JDBC URL of the database, "
            + "e.g. jdbc:postgresql://db:5432/app"));
    try (SecretResolver resolver = SecretResolver.fromEnvironment()) {
      System.out.println(run(resolver, url, threads, duration, "SELECT current_user"));
    }
  }

  /**
   * Binds a new pool to {@code DB_USER}/{@code DB_PASSWORD} of {@code resolver}, runs {@code query}
   * (whose first column is the user it ran as) on {@code threads} threads for {@code duration}, closes the
   * pool and reports.
   */
  public static Report run(SecretResolver resolver, String jdbcUrl, int threads, Duration duration, String query)
      throws InterruptedException {
    List<String> generations = Collections.synchronizedList(new ArrayList<>());
    Set<String> users = ConcurrentHashMap.newKeySet();
    Map<String, Long> failures = new ConcurrentHashMap<>();
    AtomicLong queries = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(jdbcUrl);
      pool.setPoolName("rotation-demo");
      pool.setMaximumPoolSize(threads);
      pool.setConnectionTimeout(10_000);
      generations.add(version(resolver.group("DB_USER", "DB_PASSWORD")));
      try (Subscription watch = resolver.onGroupRotation(List.of("DB_USER", "DB_PASSWORD"),
              g -> generations.add(version(g)));
          Subscription binding = HikariCredentialRotation.bind(resolver, pool, "DB_USER", "DB_PASSWORD")) {
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Thread t = new Thread(() -> {
            while (System.nanoTime() < end) {
              try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                  ResultSet r = s.executeQuery(query)) {
                r.next();
                users.add(r.getString(1));
                queries.incrementAndGet();
              } catch (SQLException e) {
                failed.incrementAndGet();
                // SQLState and type only: a driver's message can quote a user name
                failures.merge(e.getSQLState() + " " + e.getClass().getSimpleName(), 1L, Long::sum);
              }
            }
          }, "query-" + i);
          t.start();
          workers.add(t);
        }
        for (Thread t : workers) {
          t.join();
        }
      }
    }
    return new Report(queries.get(), failed.get(), List.copyOf(generations), new LinkedHashSet<>(users),
        Map.copyOf(failures));
  }

  private static String version(SecretGroup g) {
    return g.secret("DB_USER").version().id() + "/" + g.secret("DB_PASSWORD").version().id();
  }
}
