package org.nexusreussite.secrets.hikari;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.util.Credentials;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.buildsupport.server.PostgresServer;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** Against a real PostgreSQL that checks passwords, with a real HikariCP pool (7.1.0, and 6.3.3 in a second run). */
class HikariCredentialRotationTest {
  /** Canaries: if one of these shows up in a log line or a message, a value leaked. */
  private static final String PASSWORD_A = "canary-pw-A-7f3e1c";
  private static final String PASSWORD_B = "canary-pw-B-91d0aa";

  private static PostgresServer db;
  /** Held strongly: JUL keeps loggers weakly, and a collected logger loses its level and handler. */
  private static final Logger SDK_LOGGER = Logger.getLogger("org.nexusreussite.secrets");
  private static final List<LogRecord> LOGS = new CopyOnWriteArrayList<>();
  private static final Handler CAPTURE = new Handler() {
    @Override
    public void publish(LogRecord record) {
      LOGS.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private InMemorySecretBackend store;
  private SecretResolver resolver;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @BeforeAll
  static void startPostgres() {
    db = PostgresServer.start();
    db.createUser("app_a", PASSWORD_A);
    db.createUser("app_b", PASSWORD_B);
    SDK_LOGGER.setLevel(Level.ALL);
    SDK_LOGGER.addHandler(CAPTURE);
  }

  @AfterAll
  static void stopPostgres() {
    SDK_LOGGER.removeHandler(CAPTURE);
    assertThat(LOGS).as("captured SDK log records").isNotEmpty();
    for (LogRecord r : LOGS) {
      String line = r.getMessage() + " " + java.util.Arrays.toString(r.getParameters());
      assertThat(line).doesNotContain(PASSWORD_A).doesNotContain(PASSWORD_B).doesNotContain("app_a")
          .doesNotContain("app_b");
    }
    db.close();
  }

  @BeforeEach
  void resolver() {
    store = new InMemorySecretBackend("memory");
    store.put("DB_USER", "app_a");
    store.put("DB_PASSWORD", PASSWORD_A);
    resolver = SecretResolver.builder().config(SecretsConfig.empty()).backend(store, 300).build();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    resolver.close();
  }

  private HikariDataSource unstartedPool() {
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl(db.jdbcUrl());
    ds.setPoolName("test-pool");
    ds.setMaximumPoolSize(4);
    cleanup.add(ds);
    return ds;
  }

  private HikariDataSource startedPool(String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    config.setPoolName("test-pool");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(4);
    config.setUsername(user);
    config.setPassword(password);
    HikariDataSource ds = new HikariDataSource(config);
    cleanup.add(ds);
    return ds;
  }

  private void rotateToB() {
    store.put("DB_USER", "app_b");
    store.put("DB_PASSWORD", PASSWORD_B);
    resolver.admin().refresh().join();
  }

  private static String currentUser(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_user")) {
      r.next();
      return r.getString(1);
    }
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }

  /** The in-memory store publishes each put on its own, so a pair moves in two steps: wait for both. */
  private static boolean userIs(HikariDataSource ds, String user) {
    Credentials c = ds.getCredentials();
    String password = user.equals("app_a") ? PASSWORD_A : PASSWORD_B;
    return c != null && user.equals(c.getUsername()) && password.equals(c.getPassword());
  }

  @Test
  void runsAgainstTheHikariCpVersionThisExecutionIsFor() throws Exception {
    // the second surefire execution puts HikariCP 6.3.x on the class path instead of 7.1.0
    String expected = System.getProperty("expected.hikaricp.version", "7.1.0");
    String jar = HikariDataSource.class.getProtectionDomain().getCodeSource().getLocation().toString();

    assertThat(jar).contains("HikariCP-" + expected + ".jar");
  }

  @Test
  void aPoolThatHasNotStartedOpensWithTheBoundCredentials() throws Exception {
    HikariDataSource ds = unstartedPool();

    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));

    assertThat(ds.getHikariPoolMXBean()).as("still not started").isNull();
    try (Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("app_a");
    }
  }

  @Test
  void aRotationBeforeThePoolStartsIsWhatItOpensWith() throws Exception {
    HikariDataSource ds = unstartedPool();
    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));

    rotateToB();
    await(() -> userIs(ds, "app_b"));

    try (Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("app_b");
    }
  }

  @Test
  void aRotationMovesEveryNewConnectionToTheNewCredentials() throws Exception {
    HikariDataSource ds = unstartedPool();
    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));
    try (Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("app_a");
    }

    rotateToB();
    await(() -> userIs(ds, "app_b"));

    List<Connection> all = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        all.add(ds.getConnection());
      }
      for (Connection c : all) {
        assertThat(currentUser(c)).isEqualTo("app_b");
      }
    } finally {
      for (Connection c : all) {
        c.close();
      }
    }
  }

  @Test
  void aBorrowedConnectionFinishesItsWorkOnTheOldCredentials() throws Exception {
    HikariDataSource ds = unstartedPool();
    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));
    try (Connection borrowed = ds.getConnection()) {
      borrowed.setAutoCommit(false);
      assertThat(currentUser(borrowed)).isEqualTo("app_a");

      rotateToB();
      await(() -> userIs(ds, "app_b"));

      assertThat(currentUser(borrowed)).as("same transaction, old user").isEqualTo("app_a");
      borrowed.commit();
    }
    try (Connection next = ds.getConnection()) {
      assertThat(currentUser(next)).isEqualTo("app_b");
    }
  }

  @Test
  void aPoolStartedWithOtherCredentialsIsMovedToTheBoundOnesAtOnce() throws Exception {
    db.createUser("app_c", "another-password");
    HikariDataSource ds = startedPool("app_c", "another-password");
    assertThat(ds.getHikariPoolMXBean()).isNotNull();

    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));

    try (Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("app_a");
    }
  }

  @Test
  void theNewCredentialsAreSetBeforeTheConnectionsAreEvicted() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    HikariDataSource ds = new HikariDataSource() {
      @Override
      public void setCredentials(Credentials credentials) {
        calls.add("setCredentials " + credentials.getUsername());
        super.setCredentials(credentials);
      }

      @Override
      public HikariPoolMXBean getHikariPoolMXBean() {
        HikariPoolMXBean real = super.getHikariPoolMXBean();
        if (real == null) {
          return null;
        }
        return new ForwardingPoolMXBean(real) {
          @Override
          public void softEvictConnections() {
            calls.add("softEvictConnections");
            super.softEvictConnections();
          }
        };
      }
    };
    ds.setJdbcUrl(db.jdbcUrl());
    cleanup.add(ds);
    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));
    ds.getConnection().close();
    calls.clear();

    rotateToB();
    await(() -> userIs(ds, "app_b") && calls.size() % 2 == 0);

    // the store publishes the user and the password one by one, so there may be one swap or two: each
    // sets the credentials first, then evicts
    assertThat(calls).isNotEmpty();
    for (int i = 0; i < calls.size(); i += 2) {
      assertThat(calls.subList(i, i + 2)).containsExactly("setCredentials app_b", "softEvictConnections");
    }
  }

  @Test
  void aRefreshThatFindsTheSameCredentialsEvictsNothing() throws Exception {
    HikariDataSource ds = unstartedPool();
    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));
    String pid;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      pid = r.getString(1);
    }
    ds.setMaximumPoolSize(1);

    store.put("DB_PASSWORD", PASSWORD_A); // a new version of the same value
    resolver.admin().refresh().join();

    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
      r.next();
      assertThat(r.getString(1)).as("same physical connection").isEqualTo(pid);
    }
  }

  @Test
  void closingTheBindingStopsTheSwaps() throws Exception {
    HikariDataSource ds = unstartedPool();
    Subscription binding = HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD");

    binding.close();
    rotateToB();
    Thread.sleep(200);

    assertThat(ds.getCredentials().getUsername()).isEqualTo("app_a");
  }

  @Test
  void aClosedPoolIsNotAnError() {
    HikariDataSource ds = unstartedPool();
    cleanup.add(HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_PASSWORD"));
    ds.close();

    rotateToB();

    assertThat(ds.isClosed()).isTrue();
  }

  @Test
  void aMissingKeyFailsTheBindWithTheKeyNamed() {
    HikariDataSource ds = unstartedPool();

    assertThatThrownBy(() -> HikariCredentialRotation.bind(resolver, ds, "DB_USER", "DB_SECRET"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("DB_SECRET");
    assertThat(ds.getCredentials().getUsername()).isNull();
  }

  @Test
  void theSameKeyTwiceIsRefused() {
    assertThatThrownBy(() -> HikariCredentialRotation.bind(resolver, unstartedPool(), "DB_USER", "DB_USER"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bindUrl");
  }

  @Test
  void aUrlKeyGivesAnUnstartedPoolItsUrlAndCredentials() throws Exception {
    store.put("DATABASE_URL", "postgres://app_a:" + PASSWORD_A + "@127.0.0.1:" + db.port() + "/postgres");
    HikariDataSource ds = new HikariDataSource();
    cleanup.add(ds);

    cleanup.add(HikariCredentialRotation.bindUrl(resolver, ds, "DATABASE_URL"));

    assertThat(ds.getJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres");
    try (Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("app_a");
    }
    store.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres?user=app_b&password="
        + PASSWORD_B);
    resolver.admin().refresh().join();
    await(() -> userIs(ds, "app_b"));
    try (Connection c = ds.getConnection()) {
      assertThat(currentUser(c)).isEqualTo("app_b");
    }
  }

  @Test
  void aUrlWithoutCredentialsIsRefusedWithoutQuotingIt() {
    store.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1/" + PASSWORD_A);
    HikariDataSource ds = new HikariDataSource();
    cleanup.add(ds);

    assertThatThrownBy(() -> HikariCredentialRotation.bindUrl(resolver, ds, "DATABASE_URL"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageNotContaining(PASSWORD_A);
  }

  @Test
  void aRotationToAnUnreadableUrlKeepsTheCurrentCredentials() throws Exception {
    store.put("DATABASE_URL", "postgres://app_a:" + PASSWORD_A + "@127.0.0.1:" + db.port() + "/postgres");
    HikariDataSource ds = new HikariDataSource();
    cleanup.add(ds);
    cleanup.add(HikariCredentialRotation.bindUrl(resolver, ds, "DATABASE_URL"));
    LOGS.clear();

    store.put("DATABASE_URL", "postgres://127.0.0.1/" + PASSWORD_B);
    resolver.admin().refresh().join();
    await(() -> LOGS.stream().anyMatch(r -> r.getMessage().contains("could not be read as credentials")));

    assertThat(ds.getCredentials().getUsername()).isEqualTo("app_a");
  }
}
