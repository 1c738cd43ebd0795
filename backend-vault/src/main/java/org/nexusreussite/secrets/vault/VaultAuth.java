package org.nexusreussite.secrets.vault;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the backend gets its Vault token: a given token ({@link #token(String)}), an AppRole login
 * ({@link #appRole(String, String, String)}) or a Kubernetes service-account login
 * ({@link #kubernetes(String, Path, String)}). Immutable; {@code toString()} never shows a credential.
 */
public sealed interface VaultAuth {

  /** The method's name for messages: {@code token}, {@code approle}, {@code kubernetes}. */
  String method();

  /** Whether the backend can log in again by itself when its token is gone (AppRole, Kubernetes). */
  default boolean canLogin() {
    return !(this instanceof Token);
  }

  /** A fixed token, from {@code VAULT_TOKEN} or {@code ~/.vault-token}. */
  static VaultAuth token(String token) {
    return new Token(token, "VAULT_TOKEN");
  }

  /**
   * AppRole login with a role id and a secret id.
   *
   * @param mount the auth mount, usually {@code approle}
   */
  static VaultAuth appRole(String roleId, String secretId, String mount) {
    return new AppRole(roleId, secretId, null, mount);
  }

  /** AppRole login whose secret id is read from a file at each login (so a rotated file is picked up). */
  static VaultAuth appRole(String roleId, Path secretIdFile, String mount) {
    return new AppRole(roleId, null, secretIdFile, mount);
  }

  /**
   * Kubernetes login: the pod's service-account token (read at each login, since the kubelet rotates it)
   * is exchanged for a Vault token of {@code role}.
   *
   * @param mount the auth mount, usually {@code kubernetes}
   */
  static VaultAuth kubernetes(String role, Path serviceAccountTokenFile, String mount) {
    return new Kubernetes(role, serviceAccountTokenFile, mount);
  }

  /**
   * A fixed token.
   *
   * @param token the token
   * @param source where it came from, for messages ({@code VAULT_TOKEN}, {@code ~/.vault-token})
   */
  record Token(String token, String source) implements VaultAuth {
    /** Validates the token. */
    public Token {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("token must not be blank");
      }
      token = token.strip();
      Objects.requireNonNull(source, "source");
    }

    @Override
    public String method() {
      return "token";
    }

    @Override
    public String toString() {
      return "VaultAuth.Token[from " + source + "]";
    }
  }

  /**
   * AppRole login; exactly one of {@code secretId} and {@code secretIdFile} is set.
   *
   * @param roleId the role id
   * @param secretId the secret id, or null when read from {@code secretIdFile}
   * @param secretIdFile the file holding the secret id, or null
   * @param mount the auth mount path without {@code auth/}, e.g. {@code approle}
   */
  record AppRole(String roleId, @Nullable String secretId, @Nullable Path secretIdFile, String mount) implements VaultAuth {
    /** Validates the fields. */
    public AppRole {
      if (roleId == null || roleId.isBlank()) {
        throw new IllegalArgumentException("role id must not be blank");
      }
      if ((secretId == null) == (secretIdFile == null)) {
        throw new IllegalArgumentException("give either a secret id or a secret-id file");
      }
      mount = VaultAuth.mountPath(mount, "approle");
    }

    @Override
    public String method() {
      return "approle";
    }

    @Override
    public String toString() {
      return "VaultAuth.AppRole[mount=" + mount + (secretIdFile == null ? "" : ", secret id from " + secretIdFile)
          + "]";
    }
  }

  /**
   * Kubernetes login.
   *
   * @param role the Vault role bound to the service account
   * @param tokenFile the service-account token file
   * @param mount the auth mount path without {@code auth/}, e.g. {@code kubernetes}
   */
  record Kubernetes(String role, Path tokenFile, String mount) implements VaultAuth {
    /** Validates the fields. */
    public Kubernetes {
      if (role == null || role.isBlank()) {
        throw new IllegalArgumentException("role must not be blank");
      }
      Objects.requireNonNull(tokenFile, "tokenFile");
      mount = VaultAuth.mountPath(mount, "kubernetes");
    }

    @Override
    public String method() {
      return "kubernetes";
    }

    @Override
    public String toString() {
      return "VaultAuth.Kubernetes[role=" + role + ", mount=" + mount + ", token file " + tokenFile + "]";
    }
  }

  /** {@code auth/approle/} or {@code /approle} -> {@code approle}. */
  private static String mountPath(String mount, String defaultMount) {
    String m = mount == null || mount.isBlank() ? defaultMount : mount.strip();
    while (m.startsWith("/")) {
      m = m.substring(1);
    }
    if (m.startsWith("auth/")) {
      m = m.substring("auth/".length());
    }
    while (m.endsWith("/")) {
      m = m.substring(0, m.length() - 1);
    }
    if (m.isEmpty()) {
      throw new IllegalArgumentException("auth mount must not be empty");
    }
    return m;
  }
}
