package org.nexusreussite.secrets.vault;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.support.Addresses;

/**
 * The Vault backend's settings: address, paths, authentication, TLS, timeouts and retries. Build with
 * {@link #builder(String)} or read from configuration with {@link #fromConfig(SecretsConfig, Path)}.
 * Immutable and thread-safe; {@code toString()} never shows a credential.
 *
 * <pre>{@code
 * VaultOptions options = VaultOptions.builder("https://vault.internal:8200")
 *     .auth(VaultAuth.appRole(roleId, secretId, "approle"))
 *     .paths(List.of("secret/nexus-reussite"))
 *     .build();
 * }</pre>
 */
public final class VaultOptions {
  /** The Vault address setting. */
  public static final String ADDR = "VAULT_ADDR";
  /** The token setting. */
  public static final String TOKEN = "VAULT_TOKEN";
  /** The path whose fields are the keys. */
  public static final String PATH = "VAULT_PATH";
  /** Several paths, comma-separated, earlier wins; replaces {@link #PATH} when set. */
  public static final String PATHS = "SECRETS_VAULT_PATHS";
  /** Vault Enterprise / OpenBao namespace. */
  public static final String NAMESPACE = "VAULT_NAMESPACE";
  /** PEM file of the CA that signed Vault's certificate. */
  public static final String CACERT = "VAULT_CACERT";
  /** Turns TLS verification off (refused in strict profiles). */
  public static final String SKIP_VERIFY = "VAULT_SKIP_VERIFY";
  /** Connect timeout. */
  public static final String OPEN_TIMEOUT = "SECRETS_VAULT_OPEN_TIMEOUT";
  /**
   * Total deadline of one request: connect, headers and the whole body (default 15s). A server that stalls or
   * drips its answer fails the request when it passes; retries each get the same deadline.
   */
  public static final String READ_TIMEOUT = "SECRETS_VAULT_READ_TIMEOUT";
  /**
   * Largest answer accepted from Vault, in bytes (default {@value #DEFAULT_MAX_RESPONSE_BYTES}); a larger one is
   * refused after reading at most this many bytes, so a huge answer cannot exhaust the heap.
   */
  public static final String MAX_RESPONSE_BYTES = "SECRETS_VAULT_MAX_RESPONSE_BYTES";
  /** Default of {@link #MAX_RESPONSE_BYTES}: 4 MiB, far above any real KV answer. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
  /** Retries after a connection failure, 5xx or 429. */
  public static final String RETRIES = "SECRETS_VAULT_RETRIES";
  /** First retry delay, doubled at each retry. */
  public static final String RETRY_BACKOFF = "SECRETS_VAULT_RETRY_BACKOFF";
  /** {@code 1} or {@code 2} to skip KV version detection. */
  public static final String KV_VERSION = "SECRETS_VAULT_KV_VERSION";
  /** {@code token}, {@code approle} or {@code kubernetes}; inferred from the other settings when unset. */
  public static final String AUTH = "SECRETS_VAULT_AUTH";
  /** AppRole role id. */
  public static final String ROLE_ID = "VAULT_ROLE_ID";
  /** AppRole secret id. */
  public static final String SECRET_ID = "VAULT_SECRET_ID";
  /** File holding the AppRole secret id. */
  public static final String SECRET_ID_FILE = "VAULT_SECRET_ID_FILE";
  /** AppRole auth mount. */
  public static final String APPROLE_PATH = "SECRETS_VAULT_APPROLE_PATH";
  /** Kubernetes auth role. */
  public static final String K8S_ROLE = "VAULT_K8S_ROLE";
  /** Service-account token file for Kubernetes auth. */
  public static final String K8S_TOKEN_FILE = "VAULT_K8S_TOKEN_FILE";
  /** Kubernetes auth mount. */
  public static final String K8S_AUTH_PATH = "VAULT_K8S_AUTH_PATH";

  /** The default path, the original service's. */
  public static final String DEFAULT_PATH = "secret/nexus-reussite";
  /** Where a pod's service-account token is mounted. */
  public static final Path DEFAULT_K8S_TOKEN_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

  private final String address;
  private final List<String> paths;
  private final VaultAuth auth;
  private final @Nullable String namespace;
  private final @Nullable Path caCert;
  private final boolean skipVerify;
  private final Duration openTimeout;
  private final Duration readTimeout;
  private final int maxResponseBytes;
  private final int retries;
  private final Duration retryBackoff;
  private final int kvVersion;

  private VaultOptions(Builder b) {
    this.address = b.address;
    this.paths = List.copyOf(b.paths);
    this.auth = Objects.requireNonNull(b.auth, "auth: give a token, an AppRole or a Kubernetes login");
    this.namespace = b.namespace;
    this.caCert = b.caCert;
    this.skipVerify = b.skipVerify;
    this.openTimeout = b.openTimeout;
    this.readTimeout = b.readTimeout;
    this.maxResponseBytes = b.maxResponseBytes;
    this.retries = b.retries;
    this.retryBackoff = b.retryBackoff;
    this.kvVersion = b.kvVersion;
  }

  /** A builder for the Vault at {@code address} ({@code https://vault:8200}). */
  public static Builder builder(String address) {
    return new Builder(address);
  }

  /**
   * Reads the settings listed on this class's constants.
   *
   * @param homeDir the user's home, where {@code .vault-token} is looked for when {@code VAULT_TOKEN} is unset
   * @throws BackendConfigurationException naming the setting when one is missing or malformed
   */
  public static VaultOptions fromConfig(SecretsConfig config, Path homeDir) {
    String address = config.get(ADDR).orElseThrow(() -> configError(ADDR + " is not set"));
    Builder b;
    try {
      b = builder(address);
    } catch (IllegalArgumentException e) {
      throw configError("Invalid setting " + ADDR + ": " + e.getMessage());
    }
    List<String> paths = config.list(PATHS);
    if (paths.isEmpty()) {
      paths = List.of(config.get(PATH, DEFAULT_PATH));
    }
    try {
      b.paths(paths);
    } catch (IllegalArgumentException e) {
      throw configError("Invalid setting " + (config.isSet(PATHS) ? PATHS : PATH) + ": " + e.getMessage());
    }
    config.get(NAMESPACE).ifPresent(b::namespace);
    config.get(CACERT).ifPresent(file -> {
      Path p = Path.of(file);
      if (!Files.isReadable(p)) {
        throw configError("Invalid setting " + CACERT + ": the file " + p + " does not exist or is not readable");
      }
      b.caCert(p);
    });
    b.skipVerify(config.bool(SKIP_VERIFY, false));
    b.openTimeout(positive(config.duration(OPEN_TIMEOUT, b.openTimeout), OPEN_TIMEOUT));
    b.readTimeout(positive(config.duration(READ_TIMEOUT, b.readTimeout), READ_TIMEOUT));
    int maxBytes = config.integer(MAX_RESPONSE_BYTES, b.maxResponseBytes);
    if (maxBytes < 1024) {
      throw configError("Invalid setting " + MAX_RESPONSE_BYTES + ": expected a number of bytes of at least 1024, "
          + "such as " + DEFAULT_MAX_RESPONSE_BYTES);
    }
    b.maxResponseBytes(maxBytes);
    int retries = config.integer(RETRIES, b.retries);
    if (retries < 0 || retries > 10) {
      throw configError("Invalid setting " + RETRIES + ": expected 0 to 10");
    }
    b.retries(retries);
    b.retryBackoff(config.duration(RETRY_BACKOFF, b.retryBackoff));
    Optional<String> kv = config.get(KV_VERSION);
    if (kv.isPresent()) {
      switch (kv.get().toLowerCase(Locale.ROOT)) {
        case "auto" -> b.kvVersion(0);
        case "1", "v1" -> b.kvVersion(1);
        case "2", "v2" -> b.kvVersion(2);
        default -> throw configError("Invalid setting " + KV_VERSION + ": expected 1, 2 or auto");
      }
    }
    b.auth(authFromConfig(config, homeDir));
    return b.build();
  }

  private static VaultAuth authFromConfig(SecretsConfig config, Path homeDir) {
    String method = config.get(AUTH).map(s -> s.toLowerCase(Locale.ROOT)).orElseGet(() -> {
      if (config.isSet(ROLE_ID)) {
        return "approle";
      }
      if (config.isSet(K8S_ROLE)) {
        return "kubernetes";
      }
      return "token";
    });
    switch (method) {
      case "approle": {
        String roleId = config.get(ROLE_ID)
            .orElseThrow(() -> configError(AUTH + " is approle but " + ROLE_ID + " is not set"));
        String mount = config.get(APPROLE_PATH, "approle");
        Optional<String> secretId = config.get(SECRET_ID);
        if (secretId.isPresent()) {
          return VaultAuth.appRole(roleId, secretId.get(), mount);
        }
        Path file = config.get(SECRET_ID_FILE).map(Path::of).orElseThrow(() -> configError(
            "AppRole login needs " + SECRET_ID + " or " + SECRET_ID_FILE + " (a file holding the secret id)"));
        if (!Files.isReadable(file)) {
          throw configError("Invalid setting " + SECRET_ID_FILE + ": the file " + file
              + " does not exist or is not readable");
        }
        return VaultAuth.appRole(roleId, file, mount);
      }
      case "kubernetes", "k8s": {
        String role = config.get(K8S_ROLE)
            .orElseThrow(() -> configError(AUTH + " is kubernetes but " + K8S_ROLE + " is not set"));
        Path file = config.get(K8S_TOKEN_FILE).map(Path::of).orElse(DEFAULT_K8S_TOKEN_FILE);
        return VaultAuth.kubernetes(role, file, config.get(K8S_AUTH_PATH, "kubernetes"));
      }
      case "token": {
        Optional<String> token = config.get(TOKEN);
        if (token.isPresent()) {
          return VaultAuth.token(token.get());
        }
        Path file = homeDir == null ? null : homeDir.resolve(".vault-token");
        if (file != null && Files.isReadable(file)) {
          try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
              return new VaultAuth.Token(text, file.toString());
            }
          } catch (IOException e) {
            throw new BackendConfigurationException(VaultBackendProvider.ID, "Could not read the Vault token file "
                + file + " (" + e.getClass().getSimpleName() + "); set " + TOKEN + " instead", e);
          }
        }
        throw configError("No Vault token: set " + TOKEN + ", log in with 'vault login' (which writes "
            + (file == null ? "~/.vault-token" : file) + "), or use AppRole (" + ROLE_ID + " + " + SECRET_ID
            + ") or Kubernetes (" + K8S_ROLE + ") authentication");
      }
      default:
        throw configError("Invalid setting " + AUTH + ": expected token, approle or kubernetes");
    }
  }

  private static Duration positive(Duration d, String setting) {
    if (d.isZero()) {
      throw configError("Invalid setting " + setting + ": expected a duration above zero");
    }
    return d;
  }

  private static BackendConfigurationException configError(String message) {
    return new BackendConfigurationException(VaultBackendProvider.ID, message);
  }

  /** The address, without a trailing slash. */
  public String address() {
    return address;
  }

  /** The paths whose fields are the keys, in search order. */
  public List<String> paths() {
    return paths;
  }

  /** How the token is obtained. */
  public VaultAuth auth() {
    return auth;
  }

  /** The namespace, if any. */
  public Optional<String> namespace() {
    return Optional.ofNullable(namespace);
  }

  /** The CA certificate file, if any. */
  public Optional<Path> caCert() {
    return Optional.ofNullable(caCert);
  }

  /** Whether TLS verification is off. */
  public boolean skipVerify() {
    return skipVerify;
  }

  /** Connect timeout. */
  public Duration openTimeout() {
    return openTimeout;
  }

  /** Total deadline of one request (connect, headers and body). */
  public Duration readTimeout() {
    return readTimeout;
  }

  /** Largest answer accepted, in bytes. */
  public int maxResponseBytes() {
    return maxResponseBytes;
  }

  /** Retries after a connection failure, 5xx or 429. */
  public int retries() {
    return retries;
  }

  /** First retry delay. */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** 1 or 2 when forced, 0 to detect per mount. */
  public int kvVersion() {
    return kvVersion;
  }

  @Override
  public String toString() {
    return "VaultOptions[" + Addresses.redact(address) + ", paths=" + paths + ", auth=" + auth.method()
        + (namespace == null ? "" : ", namespace=" + namespace) + (skipVerify ? ", TLS verification OFF" : "")
        + "]";
  }

  /** Builds {@link VaultOptions}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final String address;
    private List<String> paths = List.of(DEFAULT_PATH);
    private @Nullable VaultAuth auth;
    private @Nullable String namespace;
    private @Nullable Path caCert;
    private boolean skipVerify;
    private Duration openTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(15);
    private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
    private int retries = 2;
    private Duration retryBackoff = Duration.ofMillis(250);
    private int kvVersion;

    private Builder(String address) {
      Objects.requireNonNull(address, "address");
      String a = address.strip();
      while (a.endsWith("/")) {
        a = a.substring(0, a.length() - 1);
      }
      try {
        URI uri = new URI(a);
        if (uri.getScheme() == null || uri.getHost() == null
            || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
          throw new IllegalArgumentException("expected an http:// or https:// URL such as https://vault:8200");
        }
      } catch (URISyntaxException e) {
        // without the cause: its message quotes the address, which may carry a password
        throw new IllegalArgumentException("expected an http:// or https:// URL such as https://vault:8200");
      }
      this.address = a;
    }

    /** Paths in search order (earlier wins); at least one. */
    public Builder paths(List<String> value) {
      List<String> out = new ArrayList<>();
      for (String p : value) {
        String s = p.strip();
        while (s.startsWith("/")) {
          s = s.substring(1);
        }
        while (s.endsWith("/")) {
          s = s.substring(0, s.length() - 1);
        }
        if (!s.contains("/") || s.contains("..") || s.contains("?") || s.contains("#") || s.contains("//")) {
          throw new IllegalArgumentException("'" + p + "' is not a Vault path such as secret/nexus-reussite");
        }
        out.add(s);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("at least one path is needed");
      }
      this.paths = out;
      return this;
    }

    /** How to get a token. */
    public Builder auth(VaultAuth value) {
      this.auth = Objects.requireNonNull(value, "auth");
      return this;
    }

    /** The namespace ({@code X-Vault-Namespace}). */
    public Builder namespace(@Nullable String value) {
      this.namespace = value == null || value.isBlank() ? null : value.strip();
      return this;
    }

    /** A PEM CA file to trust. */
    public Builder caCert(@Nullable Path value) {
      this.caCert = value;
      return this;
    }

    /** Turns TLS verification off; refused in strict profiles by the provider. */
    public Builder skipVerify(boolean value) {
      this.skipVerify = value;
      return this;
    }

    /** Connect timeout, above zero. */
    public Builder openTimeout(Duration value) {
      this.openTimeout = requirePositive(value, "openTimeout");
      return this;
    }

    /** Total deadline of one request (connect, headers and whole body), above zero. */
    public Builder readTimeout(Duration value) {
      this.readTimeout = requirePositive(value, "readTimeout");
      return this;
    }

    /** Largest answer accepted, in bytes; at least 1024. */
    public Builder maxResponseBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("maxResponseBytes must be at least 1024");
      }
      this.maxResponseBytes = value;
      return this;
    }

    /** Retries (0 to 10). */
    public Builder retries(int value) {
      if (value < 0 || value > 10) {
        throw new IllegalArgumentException("retries must be 0 to 10");
      }
      this.retries = value;
      return this;
    }

    /** First retry delay, not negative. */
    public Builder retryBackoff(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("retryBackoff must not be negative");
      }
      this.retryBackoff = value;
      return this;
    }

    /** 1 or 2 to force the KV version, 0 to detect it per mount. */
    public Builder kvVersion(int value) {
      if (value < 0 || value > 2) {
        throw new IllegalArgumentException("kvVersion must be 0 (detect), 1 or 2");
      }
      this.kvVersion = value;
      return this;
    }

    /** The options. */
    public VaultOptions build() {
      return new VaultOptions(this);
    }

    private static Duration requirePositive(Duration d, String name) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be above zero");
      }
      return d;
    }
  }
}
