package org.nexusreussite.secrets.vault;

import io.github.jopenlibs.vault.json.JsonArray;
import io.github.jopenlibs.vault.json.JsonObject;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.buildsupport.server.PostgresServer;

/** OpenBao's database secrets engine (its built-in PostgreSQL plugin) over a real PostgreSQL. */
final class DatabaseEngine {
  private DatabaseEngine() {}

  /** Mounts the engine at {@code mount} and points connection {@code pg} at the server, as its superuser. */
  static void configure(OpenBaoServer bao, PostgresServer pg, String mount) {
    Bao.mount(bao, mount, "{\"type\":\"database\"}");
    // the superuser is trusted on 127.0.0.1 (PostgresServer's pg_hba), so the password is not checked
    String url = "postgresql://{{username}}:{{password}}@127.0.0.1:" + pg.port() + "/postgres?sslmode=disable";
    bao.api("POST", "/v1/" + mount + "/config/pg", new JsonObject()
        .add("plugin_name", "postgresql-database-plugin").add("connection_url", url)
        .add("username", "postgres").add("password", "trusted").add("allowed_roles", "*").toString());
  }

  /**
   * A role on its own connection {@code name} whose passwords are {@code password} (a password policy of one
   * character repeated) and whose creation statement fails at the password: PostgreSQL's error then quotes it.
   */
  static void failingRole(OpenBaoServer bao, PostgresServer pg, String mount, String role, String password) {
    String policy = "leaky-" + role;
    bao.api("POST", "/v1/sys/policies/password/" + policy, new JsonObject().add("policy", "length = "
        + password.length() + "\nrule \"charset\" {\n  charset = \"" + password.charAt(0) + "\"\n}\n").toString());
    String url = "postgresql://{{username}}:{{password}}@127.0.0.1:" + pg.port() + "/postgres?sslmode=disable";
    bao.api("POST", "/v1/" + mount + "/config/" + policy, new JsonObject()
        .add("plugin_name", "postgresql-database-plugin").add("connection_url", url).add("username", "postgres")
        .add("password", "trusted").add("allowed_roles", role).add("password_policy", policy).toString());
    bao.api("POST", "/v1/" + mount + "/roles/" + role, new JsonObject().add("db_name", policy)
        .add("creation_statements", new JsonArray().add("CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD {{password}};"))
        .add("default_ttl", "30s").add("max_ttl", "60s").toString());
  }

  /** A role issuing LOGIN users whose passwords end with the lease ({@code VALID UNTIL}). */
  static void role(OpenBaoServer bao, String mount, String role, String defaultTtl, String maxTtl) {
    JsonArray create = new JsonArray().add("CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' "
        + "VALID UNTIL '{{expiration}}'; GRANT pg_read_all_data TO \"{{name}}\";");
    bao.api("POST", "/v1/" + mount + "/roles/" + role, new JsonObject().add("db_name", "pg")
        .add("creation_statements", create).add("default_ttl", defaultTtl).add("max_ttl", maxTtl).toString());
  }
}
