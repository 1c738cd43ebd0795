package org.nexusreussite.secrets.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A stateful stand-in for the Key Vault secrets REST API, as a WireMock transformer: challenge
 * authentication (401 with {@code WWW-Authenticate} until a bearer token comes), get latest
 * ({@code /secrets/{name}/}) and by version, version and secret listings paged with an absolute
 * {@code nextLink}, set ({@code PUT}) and attribute updates ({@code PATCH}), with errors in the documented
 * shape ({@code {"error":{"code","message","innererror"}}}). Tests also write to it directly.
 *
 * <p>Creation times are epoch seconds from a counter that moves one second per write, so versions written
 * back to back still have distinct, ordered times. Thread-safe.
 */
final class FakeKeyVault implements ResponseDefinitionTransformerV2 {
  static final String NAME = "fake-key-vault";
  static final String CHALLENGE = "Bearer authorization=\"https://login.example/00000000-0000-0000-0000-000000000000\", "
      + "resource=\"https://vault.azure.net\"";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One version of a secret. */
  static final class Version {
    final String id;
    final String value;
    final long created;
    long updated;
    boolean enabled = true;
    Long expires;
    Long notBefore;
    String contentType;
    Map<String, String> tags = new LinkedHashMap<>();

    Version(String id, String value, long created) {
      this.id = id;
      this.value = value;
      this.created = created;
      this.updated = created;
    }
  }

  private static final class Entry {
    final String name;
    final List<Version> versions = new ArrayList<>();

    Entry(String name) {
      this.name = name;
    }

    Version latest() {
      return versions.get(versions.size() - 1);
    }
  }

  private final Map<String, Entry> secrets = new LinkedHashMap<>();
  private long seconds = 1_700_000_000L;
  private volatile int pageSize = 2;

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public boolean applyGlobally() {
    return false;
  }

  /** Items per listing page; small by default so every listing pages. */
  void pageSize(int size) {
    this.pageSize = size;
  }

  /** Writes a new current version and returns it. */
  synchronized Version put(String name, String value) {
    Entry e = secrets.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new Entry(name));
    Version v = new Version(UUID.randomUUID().toString().replace("-", ""), value, ++seconds);
    e.versions.add(v);
    return v;
  }

  /** The versions of a secret, oldest first; empty when unknown. */
  synchronized List<Version> versions(String name) {
    Entry e = secrets.get(name.toLowerCase(Locale.ROOT));
    return e == null ? List.of() : List.copyOf(e.versions);
  }

  /** Removes every secret. */
  synchronized void clear() {
    secrets.clear();
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    LoggedRequest request = event.getRequest();
    String auth = request.getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      // the client's first request carries no token (and no body): answer with the challenge
      return ResponseDefinitionBuilder.responseDefinition().withStatus(401)
          .withHeader("WWW-Authenticate", CHALLENGE).build();
    }
    URI uri = URI.create(request.getAbsoluteUrl());
    String base = uri.getScheme() + "://" + uri.getRawAuthority();
    Map<String, String> query = query(uri.getRawQuery());
    String[] parts = uri.getPath().split("/", -1);
    try {
      synchronized (this) {
        return route(request.getMethod(), parts, base, query, request);
      }
    } catch (RuntimeException | java.io.IOException e) {
      return error(400, "BadParameter", "The request could not be handled: " + e.getClass().getSimpleName(), null);
    }
  }

  private ResponseDefinition route(RequestMethod method, String[] parts, String base, Map<String, String> query,
      LoggedRequest request) throws java.io.IOException {
    // parts[0] is "" (leading slash), parts[1] "secrets"
    if (parts.length < 2 || !parts[1].equals("secrets")) {
      return error(400, "BadParameter", "Unknown path", null);
    }
    if (parts.length == 2 || (parts.length == 3 && parts[2].isEmpty())) {
      return listSecrets(base, query);
    }
    String name = parts[2];
    String second = parts.length > 3 ? parts[3] : "";
    if (method.equals(RequestMethod.PUT) && second.isEmpty()) {
      return set(base, name, request.getBodyAsString());
    }
    if (method.equals(RequestMethod.GET) && second.equals("versions")) {
      return listVersions(base, name, query);
    }
    if (method.equals(RequestMethod.PATCH) && !second.isEmpty()) {
      return update(base, name, second, request.getBodyAsString());
    }
    if (method.equals(RequestMethod.GET)) {
      return get(base, name, second);
    }
    return error(405, "BadParameter", "Method not allowed", null);
  }

  private ResponseDefinition get(String base, String name, String version) {
    Entry e = secrets.get(name.toLowerCase(Locale.ROOT));
    Version v = null;
    if (e != null) {
      v = version.isEmpty() ? e.latest() : e.versions.stream().filter(x -> x.id.equalsIgnoreCase(version))
          .findFirst().orElse(null);
    }
    if (v == null) {
      return error(404, "SecretNotFound", "A secret with (name/id) " + name + (version.isEmpty() ? "" : "/" + version)
          + " was not found in this key vault. If you recently deleted this secret you may be able to recover it "
          + "using the correct recovery command.", null);
    }
    if (!v.enabled) {
      return error(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled");
    }
    return ok(bundle(base, e, v, true));
  }

  private ResponseDefinition set(String base, String name, String body) throws java.io.IOException {
    JsonNode in = JSON.readTree(body);
    Version v = put(name, in.path("value").asText(""));
    if (in.hasNonNull("contentType")) {
      v.contentType = in.get("contentType").asText();
    }
    in.path("tags").properties().forEach(f -> v.tags.put(f.getKey(), f.getValue().asText()));
    JsonNode attrs = in.path("attributes");
    if (attrs.has("enabled")) {
      v.enabled = attrs.get("enabled").asBoolean();
    }
    if (attrs.hasNonNull("exp")) {
      v.expires = attrs.get("exp").asLong();
    }
    return ok(bundle(base, secrets.get(name.toLowerCase(Locale.ROOT)), v, true));
  }

  private ResponseDefinition update(String base, String name, String version, String body)
      throws java.io.IOException {
    Entry e = secrets.get(name.toLowerCase(Locale.ROOT));
    Version v = e == null ? null : e.versions.stream().filter(x -> x.id.equalsIgnoreCase(version)).findFirst()
        .orElse(null);
    if (v == null) {
      return error(404, "SecretNotFound", "A secret with (name/id) " + name + "/" + version + " was not found.", null);
    }
    JsonNode attrs = JSON.readTree(body).path("attributes");
    if (attrs.has("enabled")) {
      v.enabled = attrs.get("enabled").asBoolean();
    }
    if (attrs.hasNonNull("exp")) {
      v.expires = attrs.get("exp").asLong();
    }
    v.updated = ++seconds;
    return ok(bundle(base, e, v, false));
  }

  private ResponseDefinition listVersions(String base, String name, Map<String, String> query) {
    Entry e = secrets.get(name.toLowerCase(Locale.ROOT));
    List<Version> all = e == null ? new ArrayList<>() : new ArrayList<>(e.versions);
    // the service lists versions in no particular order; shuffle by id so the client cannot rely on it
    all.sort(Comparator.comparing(v -> v.id));
    List<ObjectNode> items = new ArrayList<>();
    for (Version v : all) {
      items.add(bundle(base, e, v, false));
    }
    return ok(page(items, base + "/secrets/" + name + "/versions", query));
  }

  private ResponseDefinition listSecrets(String base, Map<String, String> query) {
    List<ObjectNode> items = new ArrayList<>();
    for (Entry e : secrets.values()) {
      ObjectNode item = bundle(base, e, e.latest(), false);
      item.put("id", base + "/secrets/" + e.name);
      items.add(item);
    }
    return ok(page(items, base + "/secrets", query));
  }

  private ObjectNode page(List<ObjectNode> items, String path, Map<String, String> query) {
    int skip = Integer.parseInt(query.getOrDefault("$skiptoken", "0"));
    int size = pageSize;
    ObjectNode out = JSON.createObjectNode();
    ArrayNode value = out.putArray("value");
    for (int i = skip; i < Math.min(items.size(), skip + size); i++) {
      value.add(items.get(i));
    }
    if (skip + size < items.size()) {
      out.put("nextLink", path + "?api-version=" + query.getOrDefault("api-version", "7.6") + "&$skiptoken="
          + (skip + size) + "&maxresults=" + size);
    } else {
      out.putNull("nextLink");
    }
    return out;
  }

  private static ObjectNode bundle(String base, Entry e, Version v, boolean withValue) {
    ObjectNode n = JSON.createObjectNode();
    if (withValue) {
      n.put("value", v.value);
    }
    n.put("id", base + "/secrets/" + e.name + "/" + v.id);
    if (v.contentType != null) {
      n.put("contentType", v.contentType);
    }
    ObjectNode a = n.putObject("attributes");
    a.put("enabled", v.enabled);
    if (v.notBefore != null) {
      a.put("nbf", v.notBefore);
    }
    if (v.expires != null) {
      a.put("exp", v.expires);
    }
    a.put("created", v.created);
    a.put("updated", v.updated);
    a.put("recoveryLevel", "Recoverable+Purgeable");
    a.put("recoverableDays", 90);
    ObjectNode tags = n.putObject("tags");
    v.tags.forEach(tags::put);
    return n;
  }

  private static ResponseDefinition ok(JsonNode body) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
        .withHeader("Content-Type", "application/json; charset=utf-8").withBody(body.toString()).build();
  }

  /** An error in the documented shape, with an optional inner error code. */
  static ResponseDefinition error(int status, String code, String message, String innerCode) {
    return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(errorBody(code, message, innerCode)).build();
  }

  /** The JSON of a Key Vault error. */
  static String errorBody(String code, String message, String innerCode) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode err = out.putObject("error");
    err.put("code", code);
    err.put("message", message);
    if (innerCode != null) {
      err.putObject("innererror").put("code", innerCode);
    }
    return out.toString();
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }
}
