package org.nexusreussite.secrets.vault;

import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;

/** Test setup against a real OpenBao through its HTTP API with the root token. */
final class Bao {
  private Bao() {}

  /** Writes a whole KV v2 secret ({@code secret/<rel>}) as a new version; returns the version. */
  static long putV2(OpenBaoServer bao, String rel, Map<String, String> fields) {
    JsonObject data = new JsonObject();
    fields.forEach(data::add);
    String body = new JsonObject().add("data", data).toString();
    return Json.parse(bao.api("POST", "/v1/secret/data/" + rel, body)).asObject().get("data").asObject()
        .getLong("version", 0);
  }

  /** Sets one field of a KV v2 secret, keeping the others, as a new version. */
  static long setFieldV2(OpenBaoServer bao, String rel, String key, String value) {
    HttpResponse<String> r = bao.apiResponse("GET", "/v1/secret/data/" + rel, null);
    JsonObject data = new JsonObject();
    if (r.statusCode() == 200) {
      data = Json.parse(r.body()).asObject().get("data").asObject().get("data").asObject();
    }
    data.set(key, value);
    return Json.parse(bao.api("POST", "/v1/secret/data/" + rel, new JsonObject().add("data", data).toString()))
        .asObject().get("data").asObject().getLong("version", 0);
  }

  /** Creates a token with {@code policies} and a JSON fragment of extra options; returns it. */
  static String token(OpenBaoServer bao, String extraJson, String... policies) {
    StringBuilder p = new StringBuilder();
    for (String policy : policies) {
      p.append(p.length() == 0 ? "" : ",").append('"').append(policy).append('"');
    }
    String body = "{\"policies\":[" + p + "]" + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
    return Json.parse(bao.api("POST", "/v1/auth/token/create", body)).asObject().get("auth").asObject()
        .getString("client_token", null);
  }

  /** Creates or replaces an ACL policy. */
  static void policy(OpenBaoServer bao, String name, String hcl) {
    bao.api("POST", "/v1/sys/policies/acl/" + name, new JsonObject().add("policy", hcl).toString());
  }

  /** Mounts an engine if it is not mounted yet. */
  static void mount(OpenBaoServer bao, String path, String json) {
    HttpResponse<String> r = bao.apiResponse("GET", "/v1/sys/mounts/" + path, null);
    if (r.statusCode() != 200) {
      bao.api("POST", "/v1/sys/mounts/" + path, json);
    }
  }
}
