package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.SecretGroup;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.buildsupport.server.PostgresServer;

/**
 * Vault dynamic database credentials end to end: a real OpenBao's database secrets engine issuing users
 * in a real PostgreSQL, with leases of a few seconds so renewal, replacement and revocation all happen.
 */
class VaultDynamicCredentialsIT {
  private static PostgresServer pg;
  private static final String MOUNT = "db-" + UUID.randomUUID().toString().substring(0, 8);
  /** Held strongly: JUL keeps loggers weakly. */
  private static final Logger SDK_LOGGER = Logger.getLogger("org.nexusreussite.secrets");
  private static final List<LogRecord> LOGS = new CopyOnWriteArrayList<>();
  private static final List<String> ISSUED_PASSWORDS = new CopyOnWriteArrayList<>();
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

  @TempDir
  Path home;

  @BeforeAll
  static void engine() {
    pg = PostgresServer.start();
    DatabaseEngine.configure(OpenBaoServer.shared(), pg, MOUNT);
    SDK_LOGGER.setLevel(Level.ALL);
    SDK_LOGGER.addHandler(CAPTURE);
  }

  @AfterAll
  static void canary() {
    SDK_LOGGER.removeHandler(CAPTURE);
    assertThat(ISSUED_PASSWORDS).isNotEmpty();
    for (LogRecord r : LOGS) {
      String line = r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
          + (r.getThrown() == null ? "" : " " + r.getThrown());
      for (String password : ISSUED_PASSWORDS) {
        assertThat(line).doesNotContain(password);
      }
    }
    pg.close();
  }

  private SecretResolver resolver(String token, String spec, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("VAULT_ADDR", OpenBaoServer.shared().address(),
        "VAULT_TOKEN", token, "SECRETS_VAULT_DYNAMIC", spec, "VAULT_PATH", "secret/dyn-" + UUID.randomUUID()));
    settings.putAll(extra);
    return SecretResolver.builder().config(SecretsConfig.of(settings))
        .provider(new VaultBackendProvider(() -> home)).build();
  }

  private static SecretGroup remember(SecretGroup g) {
    ISSUED_PASSWORDS.add(g.get("DB_PASSWORD"));
    return g;
  }

  private static String loginAs(SecretGroup g) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), g.get("DB_USER"), g.get("DB_PASSWORD"));
        Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT current_user")) {
      r.next();
      return r.getString(1);
    }
  }

  private static boolean roleExists(String name) {
    return !pg.queryStrings("SELECT rolname FROM pg_roles WHERE rolname = '" + name.replace("'", "''") + "'")
        .isEmpty();
  }

  private static void await(Duration max, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + max);
      }
      Thread.sleep(50);
    }
  }

  private static BackendHealth.Status vaultState(SecretResolver resolver) {
    return resolver.inspect().health().stream().filter(h -> h.backendId().equals("vault")).findFirst()
        .orElseThrow().status();
  }

  @Test
  void thePairIsOneLeaseWhoseUserCanLogIn() throws Exception {
    DatabaseEngine.role(OpenBaoServer.shared(), MOUNT, "login", "30s", "60s");
    try (SecretResolver resolver = resolver(OpenBaoServer.shared().rootToken(),
        "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/login", Map.of())) {
      SecretGroup g = remember(resolver.group("DB_USER", "DB_PASSWORD"));

      assertThat(loginAs(g)).isEqualTo(g.get("DB_USER"));
      assertThat(g.secret("DB_USER").version().id()).isEqualTo("1");
      assertThat(g.secret("DB_USER").backend()).isEqualTo("vault");
    }
  }

  @Test
  void leasesAreRenewedThenReplacedBeforeTheMaxTtlAndTheOldUserIsRevoked() throws Exception {
    DatabaseEngine.role(OpenBaoServer.shared(), MOUNT, "short", "3s", "8s");
    try (SecretResolver resolver = resolver(OpenBaoServer.shared().rootToken(),
        "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/short",
        Map.of("SECRETS_VAULT_DYNAMIC_MARGIN", "2s", "SECRETS_VAULT_DYNAMIC_GRACE", "1s"))) {
      List<SecretGroup> generations = new CopyOnWriteArrayList<>();
      SecretGroup first = remember(resolver.group("DB_USER", "DB_PASSWORD"));
      resolver.onGroupRotation(List.of("DB_USER", "DB_PASSWORD"), g -> generations.add(remember(g)));

      // the first lease (3 s) outlives its default TTL only if renewed; it is replaced before 8 s
      Thread.sleep(4_000);
      assertThat(loginAs(first)).as("renewed past its 3 s default TTL").isEqualTo(first.get("DB_USER"));
      await(Duration.ofSeconds(10), () -> !generations.isEmpty());

      SecretGroup second = generations.get(0);
      assertThat(second.get("DB_USER")).isNotEqualTo(first.get("DB_USER"));
      assertThat(second.secret("DB_USER").version().id()).isEqualTo("2");
      assertThat(loginAs(second)).isEqualTo(second.get("DB_USER"));
      assertThat(resolver.group("DB_USER", "DB_PASSWORD").get("DB_USER")).isEqualTo(second.get("DB_USER"));
      // revoked after the 1 s grace: Vault drops the user
      await(Duration.ofSeconds(5), () -> !roleExists(first.get("DB_USER")));
      assertThat(vaultState(resolver)).isNotEqualTo(BackendHealth.Status.DEGRADED);
    }
  }

  @Test
  void anUnknownRoleIsAClearConfigurationError() {
    try (SecretResolver resolver = resolver(OpenBaoServer.shared().rootToken(),
        "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/no-such-role", Map.of())) {
      assertThatThrownBy(() -> resolver.group("DB_USER", "DB_PASSWORD"))
          .isInstanceOf(BackendConfigurationException.class)
          .hasMessageContaining(MOUNT + "/creds/no-such-role")
          .hasMessageContaining("DB_USER, DB_PASSWORD")
          .hasMessageContaining("SECRETS_VAULT_DYNAMIC")
          .hasMessageContaining(MOUNT + "/roles/no-such-role");
    }
  }

  /** PostgreSQL's error quotes the failing statement's password; Vault passes it on in its 500's errors. */
  @Test
  void aDatabaseErrorQuotingTheNewPasswordIsNotRepeated() {
    String password = "q".repeat(24);
    DatabaseEngine.failingRole(OpenBaoServer.shared(), pg, MOUNT, "leaky", password);
    try (SecretResolver resolver = resolver(OpenBaoServer.shared().rootToken(),
        "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/leaky", Map.of())) {
      assertThatThrownBy(() -> resolver.group("DB_USER", "DB_PASSWORD"))
          .hasMessageContaining(MOUNT + "/creds/leaky")
          .hasMessageContaining("500")
          .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain(password));
    }
    ISSUED_PASSWORDS.add(password); // and no log line either (checked after all)
  }

  @Test
  void aDeniedPathNamesThePathAndThePolicyToGrant() {
    DatabaseEngine.role(OpenBaoServer.shared(), MOUNT, "denied", "30s", "60s");
    Bao.policy(OpenBaoServer.shared(), "nothing-" + MOUNT, "path \"secret/*\" { capabilities = [\"read\"] }");
    String token = Bao.token(OpenBaoServer.shared(), "", "nothing-" + MOUNT);
    try (SecretResolver resolver = resolver(token, "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/denied", Map.of())) {
      assertThatThrownBy(() -> resolver.group("DB_USER", "DB_PASSWORD"))
          .isInstanceOf(BackendAuthenticationException.class)
          .hasMessageContaining(MOUNT + "/creds/denied")
          .hasMessageContaining("'read'");
    }
  }

  @Test
  void aRefusedRenewalKeepsTheCurrentCredentialsAndReportsDegraded() throws Exception {
    DatabaseEngine.role(OpenBaoServer.shared(), MOUNT, "norenew", "6s", "60s");
    // may read credentials, may not renew them
    Bao.policy(OpenBaoServer.shared(), "creds-only-" + MOUNT,
        "path \"" + MOUNT + "/creds/norenew\" { capabilities = [\"read\"] }");
    String token = Bao.token(OpenBaoServer.shared(), "", "creds-only-" + MOUNT);
    try (SecretResolver resolver = resolver(token, "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/norenew",
        Map.of("SECRETS_VAULT_DYNAMIC_MARGIN", "2s", "SECRETS_VAULT_RETRIES", "0"))) {
      SecretGroup first = remember(resolver.group("DB_USER", "DB_PASSWORD"));
      // and the role is gone, so new credentials cannot be read either
      OpenBaoServer.shared().api("DELETE", "/v1/" + MOUNT + "/roles/norenew", null);

      await(Duration.ofSeconds(8), () -> vaultState(resolver) == BackendHealth.Status.DEGRADED);

      BackendHealth h = resolver.inspect().health().stream().filter(x -> x.backendId().equals("vault"))
          .findFirst().orElseThrow();
      assertThat(h.detail()).contains(MOUNT + "/creds/norenew").contains("served until their lease ends");
      assertThat(resolver.group("DB_USER", "DB_PASSWORD").get("DB_USER")).isEqualTo(first.get("DB_USER"));
      assertThat(loginAs(first)).isEqualTo(first.get("DB_USER"));
    }
  }

  @Test
  void closingTheResolverRevokesItsLease() throws Exception {
    DatabaseEngine.role(OpenBaoServer.shared(), MOUNT, "closing", "60s", "120s");
    SecretGroup g;
    try (SecretResolver resolver = resolver(OpenBaoServer.shared().rootToken(),
        "DB_USER,DB_PASSWORD@" + MOUNT + "/creds/closing", Map.of())) {
      g = remember(resolver.group("DB_USER", "DB_PASSWORD"));
      assertThat(roleExists(g.get("DB_USER"))).isTrue();
    }
    String user = g.get("DB_USER");
    await(Duration.ofSeconds(5), () -> !roleExists(user));
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    List<String> bad = new ArrayList<>(List.of("DB_USER,DB_PASSWORD", "DB_USER,DB_PASSWORD,DB_X@db/creds/a",
        "bad key@db/creds/a"));
    for (String spec : bad) {
      assertThatThrownBy(() -> resolver(OpenBaoServer.shared().rootToken(), spec, Map.of()).close())
          .isInstanceOf(BackendConfigurationException.class)
          .hasMessageContaining("SECRETS_VAULT_DYNAMIC");
    }
  }
}
