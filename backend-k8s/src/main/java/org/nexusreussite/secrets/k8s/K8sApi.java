package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes API calls the backend makes (get, list and watch one Secret; create or update it), through
 * fabric8's HTTP client, configuration and JSON binding, but not through its client DSL: building a
 * {@code KubernetesClient} loads the model classes of every resource group its DSL offers (2.4 MB of jars in
 * the CLI, for resources this backend never reads; issue 18), and what the DSL did here beyond a request is an
 * informer, which {@link SecretWatch} replaces. Authentication (token, token file, client certificates, exec
 * plugins, OIDC refresh), TLS, proxies and the request retries stay fabric8's: they come with the HTTP client
 * built from the {@link Config} (fabric8's over the JDK's {@code java.net.http}). Failures are {@link KubernetesClientException}s carrying the HTTP code and the
 * API server's {@code Status}, as the DSL's were. Thread-safe.
 */
final class K8sApi implements AutoCloseable {
  /** The name under which fabric8's HTTP client builder registers its body-logging interceptor. */
  static final String HTTP_LOGGING_INTERCEPTOR = "HttpLogging";
  /** How long the API server keeps a watch open before it ends it (and {@link SecretWatch} starts another). */
  static final int WATCH_SECONDS = 600;
  private static final String JSON = "application/json";

  private final HttpClient http;
  private final boolean ownsHttp;
  private final Config config;
  private final KubernetesSerialization serialization;
  private final String base;

  private K8sApi(HttpClient http, boolean ownsHttp, Config config, KubernetesSerialization serialization) {
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.config = config;
    this.serialization = serialization;
    String master = String.valueOf(config.getMasterUrl());
    this.base = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
  }

  /** Over a client given in code: its HTTP client, configuration and JSON binding; never closed here. */
  static K8sApi over(KubernetesClient client) {
    return new K8sApi(client.getHttpClient(), false, client.getConfiguration(), client.getKubernetesSerialization());
  }

  /**
   * Over a new HTTP client for {@code config}, which never logs bodies. fabric8 adds its
   * {@code HttpLoggingInterceptor} to every HTTP client builder whose SLF4J logger
   * {@value K8sClients#HTTP_LOGGER} is at TRACE, and that interceptor logs whole responses: a Secret's base64
   * {@code data}, i.e. the values. So, as the Azure backend sets its client's log level to NONE, the interceptor
   * is removed from the builder, whatever the logging configuration.
   *
   * @param more further changes to the builder (the answer cap)
   */
  static K8sApi create(Config config, Consumer<HttpClient.Builder> more) {
    // the JDK's client by name, not whichever factory ServiceLoader ranks first: the one the tests run on
    HttpClient.Builder builder = new JdkHttpClientFactory().newBuilder(config);
    builder.addOrReplaceInterceptor(HTTP_LOGGING_INTERCEPTOR, null);
    more.accept(builder);
    return new K8sApi(builder.build(), true, config, new KubernetesSerialization());
  }

  /** The API server's URL as configured (may hold user info: redact before showing it). */
  String masterUrl() {
    return String.valueOf(config.getMasterUrl());
  }

  /** The watch reconnect interval of the client's configuration, in milliseconds (at least 10). */
  long watchReconnectMillis() {
    return Math.max(10, config.getWatchReconnectInterval());
  }

  /** The Secret, or empty when the API server answers 404. */
  Optional<Secret> get(String namespace, String name) {
    HttpRequest request = request(secretPath(namespace, name)).build();
    HttpResponse<byte[]> response = send(request);
    if (response.code() == 404) {
      return Optional.empty();
    }
    return Optional.of(parse(request, response, Secret.class));
  }

  /**
   * The Secrets named {@code name} (none or one), listed as an informer does: with a field selector, so the
   * 'list' verb is the one RBAC checks.
   *
   * @param fromCache ask for {@code resourceVersion=0}, an answer from the API server's watch cache
   */
  SecretList list(String namespace, String name, boolean fromCache) {
    HttpRequest request = request(collectionPath(namespace) + "?fieldSelector=" + nameSelector(name)
        + (fromCache ? "&resourceVersion=0" : "")).build();
    return parse(request, send(request), SecretList.class);
  }

  /** Creates the Secret; a 409 (it exists meanwhile) fails with that code. */
  Secret create(String namespace, Secret secret) {
    HttpRequest request = request(collectionPath(namespace)).post(JSON, serialization.asJson(secret)).build();
    return parse(request, send(request), Secret.class);
  }

  /**
   * Replaces the Secret; the {@code resourceVersion} in its metadata makes the API server refuse it with 409 when
   * the Secret changed since it was read (optimistic locking).
   */
  Secret update(String namespace, Secret secret) {
    HttpRequest request = request(secretPath(namespace, secret.getMetadata().getName()))
        .put(JSON, serialization.asJson(secret)).build();
    return parse(request, send(request), Secret.class);
  }

  /**
   * Opens a watch of the Secret named {@code name} from {@code resourceVersion} over a WebSocket (as fabric8's
   * informers do); the future fails with fabric8's {@code WebSocketHandshakeException} when the API server
   * refuses it.
   */
  CompletableFuture<WebSocket> watch(String namespace, String name, @Nullable String resourceVersion,
      WebSocket.Listener listener) {
    URI uri = URI.create(base + collectionPath(namespace) + "?allowWatchBookmarks=true&fieldSelector="
        + nameSelector(name) + (resourceVersion == null ? "" : "&resourceVersion=" + encode(resourceVersion))
        + "&timeoutSeconds=" + WATCH_SECONDS + "&watch=true");
    // the Origin header as fabric8's own watches send it
    String origin = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    WebSocket.Builder builder = http.newWebSocketBuilder().uri(uri).header("Origin", origin);
    if (config.getConnectionTimeout() > 0) { // fabric8's "no timeout" is 0 or less; SecretWatch bounds the upgrade
      builder.connectTimeout(config.getConnectionTimeout(), TimeUnit.MILLISECONDS);
    }
    return builder.buildAsync(listener);
  }

  /** One message of a watch. */
  WatchEvent event(String text) {
    return serialization.unmarshal(text, WatchEvent.class);
  }

  /** The failure for a {@code Status} the API server sent (in a watch's ERROR event, for instance). */
  static KubernetesClientException failure(String what, Status status) {
    int code = status.getCode() == null ? 0 : status.getCode();
    return new KubernetesClientException(what + " failed with " + code, code, status);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = http.newHttpRequestBuilder().uri(base + path);
    if (config.getRequestTimeout() > 0) {
      builder.timeout(config.getRequestTimeout(), TimeUnit.MILLISECONDS);
    }
    return builder;
  }

  private HttpResponse<byte[]> send(HttpRequest request) {
    CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, byte[].class);
    try {
      return answer.get();
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new KubernetesClientException(request.method() + " " + request.uri().getPath() + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof KubernetesClientException kce) {
        throw kce;
      }
      // no HTTP answer (refused, reset, timed out, the answer cap): the code stays unset, as the DSL left it
      throw new KubernetesClientException(request.method() + " " + request.uri().getPath() + " failed", cause);
    }
  }

  private <T> T parse(HttpRequest request, HttpResponse<byte[]> response, Class<T> type) {
    byte[] body = response.body() == null ? new byte[0] : response.body();
    if (!response.isSuccessful()) {
      Status status = statusIn(body);
      if (status == null) {
        status = new StatusBuilder().withCode(response.code()).build();
      }
      throw new KubernetesClientException(request.method() + " " + request.uri().getPath() + " answered "
          + response.code(), response.code(), status);
    }
    try {
      return serialization.unmarshal(new String(body, StandardCharsets.UTF_8), type);
    } catch (RuntimeException e) {
      // a proxy's page, a truncated answer: the body is not quoted (it may be a Secret's data)
      throw new KubernetesClientException(request.method() + " " + request.uri().getPath() + " answered "
          + response.code() + " with a body that is not a " + type.getSimpleName(), response.code(),
          new StatusBuilder().withCode(response.code()).build());
    }
  }

  /** The API server's {@code Status} in an error answer, or null when the body is something else. */
  private @Nullable Status statusIn(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{") || !text.contains("\"Status\"")) {
      return null;
    }
    try {
      return serialization.unmarshal(text, Status.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String collectionPath(String namespace) {
    return "/api/v1/namespaces/" + encode(namespace) + "/secrets";
  }

  private static String secretPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + encode(name);
  }

  private static String nameSelector(String name) {
    return encode("metadata.name=" + name);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    if (ownsHttp) {
      http.close();
    }
  }
}
