package org.nexusreussite.secrets.examples.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.buildsupport.server.PostgresServer;

/**
 * The issue's end-to-end measurement: 8 threads query a real PostgreSQL through a HikariCP pool while
 * the credentials rotate, (1) as Vault dynamic credentials from a real OpenBao's database engine, and (2)
 * as a static rotation (ALTER ROLE and a KV write at once). {@code rotation.seconds} sets the length (20 s
 * in the suite with leases scaled down; 60 s from scripts/pool-rotation-60s.sh); the figures are appended
 * to target/pool-rotation-report.txt.
 */
class PoolRotationIT {
  private static final int THREADS = 8;
  private static final Duration RUN = Duration.ofSeconds(Long.getLong("rotation.seconds", 20));
  private static final boolean LONG = RUN.toSeconds() >= 60;
  private static PostgresServer pg;
  private static OpenBaoServer bao;

  @TempDir
  Path home;

  @BeforeAll
  static void servers() {
    pg = PostgresServer.start();
    bao = new OpenBaoServer();
    bao.start();
  }

  @AfterAll
  static void stop() {
    bao.close();
    pg.close();
  }

  private SecretResolver resolver(Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put("VAULT_ADDR", bao.address());
    all.put("VAULT_TOKEN", bao.rootToken());
    return SecretResolver.builder().config(SecretsConfig.of(all)).discover().build();
  }

  private static void record(String scenario, PoolRotationApp.Report report, String extra) throws Exception {
    String line = scenario + ", " + RUN.toSeconds() + " s, " + THREADS + " threads: " + report + extra + "\n";
    System.out.print(line);
    Files.writeString(Path.of("target", "pool-rotation-report.txt"), line, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static boolean roleExists(String name) {
    return !pg.queryStrings("SELECT rolname FROM pg_roles WHERE rolname = '" + name.replace("'", "''") + "'")
        .isEmpty();
  }

  @Test
  void aPoolOnVaultDynamicCredentialsFailsNoQueryAcrossRotations() throws Exception {
    String mount = "database";
    bao.api("POST", "/v1/sys/mounts/" + mount, "{\"type\":\"database\"}");
    bao.api("POST", "/v1/" + mount + "/config/pg", "{\"plugin_name\":\"postgresql-database-plugin\","
        + "\"connection_url\":\"postgresql://{{username}}:{{password}}@127.0.0.1:" + pg.port()
        + "/postgres?sslmode=disable\",\"username\":\"postgres\",\"password\":\"trusted\",\"allowed_roles\":\"*\"}");
    // leases scaled to the run: 10 s default / 20 s max for the 60 s run, 3 s / 8 s in the suite
    bao.api("POST", "/v1/" + mount + "/roles/app", "{\"db_name\":\"pg\",\"creation_statements\":[\"CREATE ROLE "
        + "\\\"{{name}}\\\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';\"],"
        + "\"default_ttl\":\"" + (LONG ? "10s" : "3s") + "\",\"max_ttl\":\"" + (LONG ? "20s" : "8s") + "\"}");
    List<String> users;
    PoolRotationApp.Report report;
    try (SecretResolver resolver = resolver(Map.of(
        "SECRETS_VAULT_DYNAMIC", "DB_USER,DB_PASSWORD@" + mount + "/creds/app",
        "SECRETS_VAULT_DYNAMIC_MARGIN", LONG ? "5s" : "2s",
        "SECRETS_VAULT_DYNAMIC_GRACE", LONG ? "3s" : "1s",
        "VAULT_PATH", "secret/unused-" + UUID.randomUUID()))) {
      report = PoolRotationApp.run(resolver, pg.jdbcUrl(), THREADS, RUN, "SELECT current_user");
      users = new ArrayList<>(report.users());
      String current = resolver.group("DB_USER", "DB_PASSWORD").get("DB_USER");
      users.remove(current);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (users.stream().anyMatch(PoolRotationIT::roleExists) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
    long revoked = users.stream().filter(u -> !roleExists(u)).count();
    record("Vault dynamic credentials", report, ", old users revoked (gone from pg_roles): " + revoked + " of "
        + users.size());

    assertThat(report.failed()).as(report.toString()).isZero();
    assertThat(report.queries()).isPositive();
    assertThat(report.generations()).as("initial + at least 3 rotations").hasSizeGreaterThanOrEqualTo(4);
    assertThat(report.users()).as("queries ran as every generation's user").hasSizeGreaterThanOrEqualTo(4);
    assertThat(revoked).as("every old user revoked").isEqualTo(users.size());
  }

  @Test
  void baselineTheSamePoolAndLoadWithoutRotation() throws Exception {
    // the same-run baseline of the two measurements above: what the pool does when nothing rotates
    String rel = "baseline-" + UUID.randomUUID();
    pg.createUser("app_baseline", "baseline-password");
    bao.api("POST", "/v1/secret/data/" + rel,
        "{\"data\":{\"DB_USER\":\"app_baseline\",\"DB_PASSWORD\":\"baseline-password\"}}");
    PoolRotationApp.Report report;
    try (SecretResolver resolver = resolver(Map.of("VAULT_PATH", "secret/" + rel, "SECRETS_CACHE_REFRESH", "1s"))) {
      report = PoolRotationApp.run(resolver, pg.jdbcUrl(), THREADS, RUN, "SELECT current_user");
    }
    record("Baseline, no rotation", report, "");

    assertThat(report.failed()).isZero();
    assertThat(report.generations()).hasSize(1);
  }

  @Test
  void aPoolOnAStaticRotationFailsNoQuery() throws Exception {
    String rel = "static-" + UUID.randomUUID();
    pg.createUser("app_static", "generation-0");
    bao.api("POST", "/v1/secret/data/" + rel,
        "{\"data\":{\"DB_USER\":\"app_static\",\"DB_PASSWORD\":\"generation-0\"}}");
    AtomicInteger rotations = new AtomicInteger();
    AtomicReference<Exception> rotatorFailure = new AtomicReference<>();
    PoolRotationApp.Report report;
    try (SecretResolver resolver = resolver(Map.of("VAULT_PATH", "secret/" + rel,
        "SECRETS_CACHE_REFRESH", "1s"))) {
      // 4 rotations spread over the run: the password changed in PostgreSQL, then in the store at once
      Duration every = RUN.dividedBy(5);
      Thread rotator = new Thread(() -> {
        try {
          for (int i = 1; i <= 4; i++) {
            Thread.sleep(every.toMillis());
            String password = "generation-" + i + "-" + UUID.randomUUID();
            pg.execute("ALTER ROLE app_static PASSWORD '" + password + "'");
            bao.api("POST", "/v1/secret/data/" + rel,
                "{\"data\":{\"DB_USER\":\"app_static\",\"DB_PASSWORD\":\"" + password + "\"}}");
            rotations.incrementAndGet();
          }
        } catch (Exception e) {
          rotatorFailure.set(e);
        }
      }, "rotator");
      rotator.start();
      report = PoolRotationApp.run(resolver, pg.jdbcUrl(), THREADS, RUN, "SELECT current_user");
      rotator.join();
    }
    record("Static rotation (ALTER ROLE + KV v2 write)", report, ", rotations: " + rotations.get());

    assertThat(rotatorFailure.get()).isNull();
    assertThat(rotations.get()).isEqualTo(4);
    assertThat(report.failed()).as(report.toString()).isZero();
    assertThat(report.generations()).as("initial + 4 rotations").hasSize(5);
  }
}
