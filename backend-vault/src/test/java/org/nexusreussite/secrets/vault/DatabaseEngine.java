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

  /** A role issuing LOGIN users whose passwords end with the lease ({@code VALID UNTIL}). */
  static void role(OpenBaoServer bao, String mount, String role, String defaultTtl, String maxTtl) {
    JsonArray create = new JsonArray().add("CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' "
        + "VALID UNTIL '{{expiration}}'; GRANT pg_read_all_data TO \"{{name}}\";");
    bao.api("POST", "/v1/" + mount + "/roles/" + role, new JsonObject().add("db_name", "pg")
        .add("creation_statements", create).add("default_ttl", defaultTtl).add("max_ttl", maxTtl).toString());
  }
}
