package org.nexusreussite.secrets.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretsException;

/**
 * Turns Azure client failures into the SDK's exceptions, with the vault, the key, the permission to grant
 * and the next step. Messages are built from status codes and Key Vault error codes only, never from
 * response bodies, which could echo what was sent. Thread-safe (immutable).
 */
final class KeyVaultErrors {
  /** What was being done, for the message and the permission it needs. */
  enum Operation {
    GET("read", "get", "Key Vault Secrets User"),
    LIST_VERSIONS("list the versions of", "list", "Key Vault Secrets User"),
    LIST("list the secrets of", "list", "Key Vault Secrets User"),
    SET("write a new version of", "set", "Key Vault Secrets Officer");

    final String verb;
    final String permission;
    final String role;

    Operation(String verb, String permission, String role) {
      this.verb = verb;
      this.permission = permission;
      this.role = role;
    }
  }

  private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_.]+)\"");

  private final String vaultUrl;
  private final int maxRetries;

  KeyVaultErrors(String vaultUrl, int maxRetries) {
    this.vaultUrl = vaultUrl;
    this.maxRetries = maxRetries;
  }

  /** The HTTP status of an Azure failure, or 0 when there was no response. */
  static int status(Throwable e) {
    if (e instanceof HttpResponseException h && h.getResponse() != null) {
      return h.getResponse().getStatusCode();
    }
    return 0;
  }

  /** The Key Vault error codes ({@code Forbidden}, {@code SecretDisabled}, ...) in the error body. */
  static Set<String> codes(HttpResponseException e) {
    Set<String> codes = new LinkedHashSet<>();
    for (String text : new String[] {e.getValue() == null ? null : String.valueOf(e.getValue()), e.getMessage()}) {
      if (text != null) {
        Matcher m = CODE.matcher(text);
        while (m.find()) {
          codes.add(m.group(1));
        }
      }
    }
    return codes;
  }

  /** The error for a disabled version: Key Vault answers 403 {@code Forbidden/SecretDisabled}. */
  BackendConfigurationException disabled(@Nullable String key, @Nullable String name,
      @Nullable String versionId) {
    String which = versionId == null || versionId.isEmpty() ? "its current version" : "version " + versionId;
    return new BackendConfigurationException(AzureSecretBackend.ID, "Secret " + subject(key, name)
        + " in Azure Key Vault " + vaultUrl + " is disabled (" + which + "), so it is not served: enable it "
        + "(az keyvault secret set-attributes --enabled true) or set a new value");
  }

  /**
   * The SDK exception for a failed call.
   *
   * @param key the key concerned, or null for vault-wide calls
   * @param name its Key Vault name, or null
   */
  SecretsException translate(RuntimeException e, Operation op, @Nullable String key, @Nullable String name) {
    if (e instanceof SecretsException se) {
      return se;
    }
    String what = op.verb + (key == null && name == null ? " the vault" : " secret " + subject(key, name));
    SecretsException bounded = bounded(e, what);
    if (bounded != null) {
      return bounded;
    }
    return translateScrubbed(e, op, what, key, name);
  }

  /** The error for a passed deadline or an oversized answer, or null when {@code e} is neither. */
  private @Nullable SecretsException bounded(RuntimeException e, String what) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BoundedHttpClient.DeadlineExceeded d) {
        return new BackendUnavailableException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
            + " did not answer completely within " + d.deadline.toMillis() + " ms (" + d.setting
            + (d.setting.equals(AzureBackendProvider.CALL_TIMEOUT)
                ? ", the total of one call: every attempt and back-off" : ", the total for connect, headers and body")
            + ") while trying to " + what + ". Check the network path to the vault, or raise " + d.setting,
            StoreCauses.scrub(e));
      }
      if (t instanceof BoundedHttpClient.AnswerTooLarge a) {
        return new BackendUnavailableException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
            + " answered with more than " + a.cap + " bytes (" + AzureBackendProvider.MAX_RESPONSE_BYTES
            + ") while trying to " + what + "; the rest was not read. Raise "
            + AzureBackendProvider.MAX_RESPONSE_BYTES + " if such an answer is expected, or check that "
            + "AZURE_KEYVAULT_URL points at Key Vault itself", StoreCauses.scrub(e));
      }
    }
    return null;
  }

  private SecretsException translateScrubbed(RuntimeException original, Operation op, String what,
      @Nullable String key, @Nullable String name) {
    // the causes kept below are scrubbed copies: azure-core's messages quote response bodies
    Throwable e = StoreCauses.scrub(original);
    if (original instanceof HttpResponseException h && h.getResponse() != null) {
      int status = h.getResponse().getStatusCode();
      Set<String> codes = codes(h);
      String codeText = codes.isEmpty() ? "" : " " + String.join("/", codes);
      if (status == 403 && (codes.contains("SecretDisabled") || String.valueOf(h.getMessage())
          .contains("disabled secret"))) {
        return disabled(key, name, null);
      }
      if (status == 403 && codes.contains("ForbiddenByFirewall")) {
        return new BackendAuthenticationException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
            + " refused to let us " + what + " (HTTP 403" + codeText + "): its firewall does not admit this "
            + "client's address. Add the address or virtual network to the vault's networking rules, or use a "
            + "private endpoint", e);
      }
      if (status == 401 || status == 403) {
        return new BackendAuthenticationException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
            + " refused to let us " + what + " (HTTP " + status + codeText + "). Grant the application's "
            + "identity the '" + op.permission + "' permission on secrets in the vault's access policy, or the '"
            + op.role + "' role on the vault (Azure RBAC); if the vault is in another tenant, set "
            + "AZURE_TENANT_ID to the vault's tenant", e);
      }
      if (status == 429) {
        String asked = BoundedRetryStrategy.retryAfter(h.getResponse())
            .map(d -> ", Retry-After " + d.toSeconds() + "s").orElse("");
        return new BackendUnavailableException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
            + " is throttling requests (HTTP 429" + asked + ") and still was after " + maxRetries
            + " retries, while trying to " + what + ". Key Vault limits requests per vault; lengthen "
            + "SECRETS_CACHE_REFRESH, or spread the load over several vaults", e);
      }
      if (status == 409) {
        return new BackendConfigurationException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
            + " could not " + what + " (HTTP 409" + codeText + "): the secret is probably deleted but "
            + "recoverable; recover or purge it first", e);
      }
      return new BackendUnavailableException(AzureSecretBackend.ID, "Azure Key Vault " + vaultUrl
          + " answered HTTP " + status + codeText + " when asked to " + what
          + (status >= 500 ? " (after " + maxRetries + " retries); check the Azure status page and retry later"
              : "; check AZURE_KEYVAULT_URL and the client version"), e);
    }
    if (original instanceof ClientAuthenticationException) {
      // no HTTP response: the credential itself could not produce a token
      return new BackendAuthenticationException(AzureSecretBackend.ID, "Could not get a token for Azure Key "
          + "Vault " + vaultUrl + " (" + original.getMessage() + "). DefaultAzureCredential tries, in order: "
          + "environment variables (AZURE_TENANT_ID, AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or "
          + "AZURE_CLIENT_CERTIFICATE_PATH), workload identity, managed identity and the Azure CLI (az login); "
          + "configure one of them, or give a credential in code", e);
    }
    return new BackendUnavailableException(AzureSecretBackend.ID, "Could not reach Azure Key Vault " + vaultUrl
        + " to " + what + " (" + rootCause(original) + ") after " + maxRetries + " retries. Check the URL, DNS, "
        + "proxy settings and the vault's network rules", e);
  }

  private static String subject(@Nullable String key, @Nullable String name) {
    if (key == null) {
      return "'" + name + "'";
    }
    return "'" + key + "' (Key Vault name '" + name + "')";
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("json")) {
        // a parser's message may quote the text it choked on, which can be part of a secret value
        return root.getClass().getSimpleName() + " (the answer could not be parsed)";
      }
    }
    String message = root.getMessage();
    // transport messages name hosts and ports; cut them short so an odd one cannot flood a log line
    if (message != null && message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
