package org.nexusreussite.secrets.vault.internal;

import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.json.ParseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.spi.support.BoundedBodyHandler;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.spi.support.Addresses;
import org.nexusreussite.secrets.vault.VaultOptions;

/**
 * The HTTP side of the backend: one {@link HttpClient} per backend (connections are reused), the
 * driver's TLS setup for {@code VAULT_CACERT} and its JSON parser, retries with exponential backoff and
 * jitter for connection failures, 5xx and 429, and the mapping of those to
 * {@link BackendUnavailableException} messages that name the address. Thread-safe.
 *
 * <p>Why not the driver's {@code Logical}/{@code Auth}/{@code Rest} calls: {@code Rest} re-encodes
 * response bodies with the platform charset (non-ASCII values break on a Java 17 with a POSIX locale),
 * {@code Logical} retries on its own and hides 4xx statuses, and its exception messages quote response
 * bodies. Owning the transport keeps statuses, retries and messages under our control.
 *
 * <p>Every request has a total deadline ({@code SECRETS_VAULT_READ_TIMEOUT}) covering connect, headers and the
 * whole body, retries and their pauses included: {@code java.net.http}'s own request timeout covers the headers
 * only, so a server that stalls or drips its body would otherwise hold the calling thread (a resolver refresh
 * thread) forever. Bodies are read into a buffer bounded by {@code SECRETS_VAULT_MAX_RESPONSE_BYTES}; the read
 * stops at the cap.
 *
 * <p>Bodies are never put into messages: they may hold secret values. Addresses are shown with their userinfo
 * redacted.
 */
public final class VaultHttp implements AutoCloseable {
  private final String backendId;
  /** For messages: userinfo redacted. */
  private final String address;
  /** For requests: userinfo dropped (Vault authenticates with tokens, never with it). */
  private final String baseUri;
  private final int maxResponseBytes;
  private final @Nullable String namespace;
  private final Duration readTimeout;
  private final int retries;
  private final Duration retryBackoff;
  private final HttpClient client;
  private final LongAdder requests = new LongAdder();

  /** An answer from Vault. */
  public record Response(int status, String contentType, String body) {
    /** {@code toString()} leaves the body out: it may hold values. */
    @Override
    public String toString() {
      return "Response[" + status + ", " + contentType + ", " + body.length() + " chars]";
    }
  }

  /**
   * Builds the client.
   *
   * @throws BackendConfigurationException when {@code VAULT_CACERT} cannot be loaded
   */
  public VaultHttp(String backendId, VaultOptions options) {
    this.backendId = backendId;
    this.address = Addresses.redact(options.address());
    this.baseUri = Addresses.withoutUserInfo(options.address());
    this.maxResponseBytes = options.maxResponseBytes();
    this.namespace = options.namespace().orElse(null);
    this.readTimeout = options.readTimeout();
    this.retries = options.retries();
    this.retryBackoff = options.retryBackoff();
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(options.openTimeout())
        .followRedirects(HttpClient.Redirect.NEVER);
    if (options.skipVerify()) {
      builder.sslContext(trustAll());
    } else if (options.caCert().isPresent()) {
      try {
        builder.sslContext(new SslConfig().verify(true).pemFile(options.caCert().get().toFile()).build()
            .getSslContext());
      } catch (VaultException | RuntimeException e) {
        throw new BackendConfigurationException(backendId, "Could not load the CA certificate of "
            + VaultOptions.CACERT + " (" + options.caCert().get() + "): " + e.getClass().getSimpleName()
            + "; it must be a PEM file", e);
      }
    }
    this.client = builder.build();
  }

  /** The address, for messages, with any userinfo redacted. */
  public String address() {
    return address;
  }

  /** Requests sent so far, retries included. */
  public long requestCount() {
    return requests.sum();
  }

  /**
   * Sends {@code method /v1/<apiPath>} and returns whatever Vault answered, retrying connection failures,
   * 5xx and 429 first. 4xx answers are returned for the caller to interpret.
   *
   * @param token the token, or null for unauthenticated endpoints
   * @param jsonBody the body, or null
   * @param retry whether to retry failures
   * @throws BackendUnavailableException when Vault cannot be reached, keeps answering 5xx / 429, does not
   *     answer completely within the deadline, or answers more than the size cap
   */
  public Response send(String method, String apiPath, @Nullable String token, @Nullable String jsonBody, boolean retry) {
    long deadline = System.nanoTime() + readTimeout.toNanos();
    URI uri = URI.create(baseUri + "/v1/" + apiPath);
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(readTimeout)
        .header("Accept", "application/json")
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    if (jsonBody != null) {
      rb.header("Content-Type", "application/json");
    }
    if (token != null) {
      rb.header("X-Vault-Token", token);
    }
    if (namespace != null) {
      rb.header("X-Vault-Namespace", namespace);
    }
    // "X-Vault-Request" makes Vault answer API errors in JSON rather than redirecting (as the CLI does)
    rb.header("X-Vault-Request", "true");
    HttpRequest request = rb.build();
    int attempts = retry ? retries + 1 : 1;
    Response last = null;
    IOException lastError = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1 && !pause(attempt - 1, method, apiPath, deadline)) {
        break; // no time left for another attempt: report what the last one got
      }
      requests.increment();
      try {
        HttpResponse<byte[]> r = exchange(request, deadline, method, apiPath);
        last = new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
            r.body() == null ? "" : new String(r.body(), StandardCharsets.UTF_8));
        lastError = null;
        if (last.status() == 404 && namespace != null
            && errorsOf(last).toLowerCase(Locale.ROOT).contains("namespace not found")) {
          // Vault answers this to every request, the token lookup included: name the setting, not the token
          throw new BackendConfigurationException(backendId, "Vault at " + address + " has no namespace '"
              + namespace + "' (" + VaultOptions.NAMESPACE + "); check its name and the parent path, or unset "
              + VaultOptions.NAMESPACE + " for the root namespace");
        }
        if (!retryable(last.status())) {
          return last;
        }
      } catch (IOException e) {
        lastError = e;
        last = null;
        if (e instanceof SSLException) {
          break; // a TLS failure will not heal by retrying
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackendUnavailableException(backendId, "Interrupted while calling Vault at " + address, e);
      }
    }
    if (lastError != null) {
      throw unreachable(method, apiPath, lastError);
    }
    if (last == null) {
      // the first attempt cannot be skipped, so this is unreachable; kept so that last is never null below
      throw new BackendUnavailableException(backendId, "Vault at " + address + " was not asked " + method
          + " /v1/" + apiPath + ": no time left within " + VaultOptions.READ_TIMEOUT);
    }
    if (!retry || !retryable(last.status())) {
      return last;
    }
    throw unavailableStatus(last, method, apiPath, attempts);
  }

  private static boolean retryable(int status) {
    return status == 429 || status >= 500;
  }

  /**
   * One HTTP exchange bounded by {@code deadline} as a whole. Why {@code sendAsync} and a timed wait: the
   * blocking {@code send} has no bound on the body; on the deadline both the exchange and the body subscription
   * are cancelled, which closes the connection, so neither this thread nor a client thread stays behind.
   */
  private HttpResponse<byte[]> exchange(HttpRequest request, long deadline, String method, String apiPath)
      throws IOException, InterruptedException {
    BoundedBodyHandler handler = new BoundedBodyHandler(maxResponseBytes);
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, handler);
    try {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      return future.get(left, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      handler.cancel();
      throw deadlinePassed(method, apiPath, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      handler.cancel();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof BoundedBodyHandler.AnswerTooLarge) {
        throw new BackendUnavailableException(backendId, "Vault at " + address + " answered " + method + " /v1/"
            + apiPath + " with more than " + maxResponseBytes + " bytes (" + VaultOptions.MAX_RESPONSE_BYTES
            + "); the rest was not read. Raise " + VaultOptions.MAX_RESPONSE_BYTES + " if such an answer is "
            + "expected, or check that " + VaultOptions.ADDR + " points at Vault itself");
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException("the HTTP exchange failed with " + cause.getClass().getSimpleName(), cause);
    }
  }

  private BackendUnavailableException deadlinePassed(String method, String apiPath, TimeoutException e) {
    return new BackendUnavailableException(backendId, "Vault at " + address + " did not answer " + method + " /v1/"
        + apiPath + " completely within " + readTimeout.toMillis() + " ms (" + VaultOptions.READ_TIMEOUT
        + ", the total for connect, headers and body, retries included). Verify network connectivity to Vault at "
        + address + ", or raise " + VaultOptions.READ_TIMEOUT, e);
  }

  /** Waits before a retry; false, without waiting, when the pause would end past the deadline. */
  private boolean pause(int retry, String method, String apiPath, long deadline) {
    long base = retryBackoff.toMillis() << Math.min(retry - 1, 10);
    long millis = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis) >= deadline) {
      return false;
    }
    if (millis <= 0) {
      return true;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException(backendId, "Interrupted while retrying " + method + " /v1/" + apiPath
          + " at " + address, e);
    }
    return true;
  }

  private BackendUnavailableException unreachable(String method, String apiPath, IOException e) {
    String what;
    if (e instanceof HttpTimeoutException) {
      what = "timed out (" + VaultOptions.OPEN_TIMEOUT + " / " + VaultOptions.READ_TIMEOUT + ")";
    } else if (e instanceof ConnectException) {
      what = "refused the connection or could not be reached";
    } else if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
      what = "has a host name that does not resolve";
    } else if (e instanceof SSLException) {
      what = "failed the TLS handshake (check " + VaultOptions.CACERT + " and that " + VaultOptions.ADDR
          + " uses the right scheme)";
    } else {
      what = "failed with " + e.getClass().getSimpleName();
    }
    return new BackendUnavailableException(backendId, "Vault at " + address + " " + what + " on " + method
        + " /v1/" + apiPath + ". Verify network connectivity to Vault at " + address + " and that "
        + VaultOptions.ADDR + " is right", e);
  }

  private BackendUnavailableException unavailableStatus(Response r, String method, String apiPath, int attempts) {
    String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
    if (r.status() == 503) {
      String errors = errorsOf(r).toLowerCase(Locale.ROOT);
      String state = errors.contains("sealed") ? "is sealed: unseal it (or wait for an unsealed node)"
          : "is unavailable (sealed, or a standby without an active node)";
      return new BackendUnavailableException(backendId, "Vault at " + address + " " + state + "; " + method
          + " /v1/" + apiPath + " answered 503" + tries);
    }
    if (r.status() == 429) {
      return new BackendUnavailableException(backendId, "Vault at " + address + " is throttling requests (429"
          + tries + ") on " + method + " /v1/" + apiPath + "; raise " + VaultOptions.RETRIES
          + " or reduce the request rate");
    }
    return new BackendUnavailableException(backendId, "Vault at " + address + " answered " + r.status() + tries
        + " on " + method + " /v1/" + apiPath + "; check the server's health and logs");
  }

  /**
   * Parses a JSON object answer.
   *
   * @throws BackendUnavailableException when it is not a JSON object
   */
  public JsonObject json(Response r, String method, String apiPath) {
    JsonValue value;
    try {
      value = r.body().isBlank() ? null : Json.parse(r.body());
    } catch (ParseException | UnsupportedOperationException e) {
      throw garbage(r, method, apiPath, e);
    }
    if (value == null || !value.isObject()) {
      throw garbage(r, method, apiPath, null);
    }
    return value.asObject();
  }

  private BackendUnavailableException garbage(Response r, String method, String apiPath,
      @Nullable RuntimeException cause) {
    // the cause's message quotes the body: keep only its type
    String type = r.contentType().isEmpty() ? "no content type" : "content type " + r.contentType();
    return new BackendUnavailableException(backendId, "Vault at " + address + " answered " + method + " /v1/"
        + apiPath + " (status " + r.status() + ") with something that is not a JSON object (" + type + ", "
        + r.body().length() + " characters" + (cause == null ? "" : ", " + cause.getClass().getSimpleName())
        + "). Check that " + VaultOptions.ADDR + " points at Vault itself, not at a proxy or a login page");
  }

  /** Vault's {@code errors} array joined, for sealed/CAS checks; never echoed for data endpoints. */
  public String errorsOf(Response r) {
    try {
      JsonValue v = Json.parse(r.body());
      if (v.isObject() && v.asObject().get("errors") != null && v.asObject().get("errors").isArray()) {
        StringBuilder sb = new StringBuilder();
        for (JsonValue e : v.asObject().get("errors").asArray()) {
          if (e.isString()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(e.asString());
          }
        }
        return sb.toString();
      }
    } catch (RuntimeException e) {
      // not JSON: no errors to report
    }
    return "";
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads are daemons and stop when idle
  }

  private static SSLContext trustAll() {
    TrustManager tm = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {tm}, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }
}
