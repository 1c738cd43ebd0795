package org.nexusreussite.secrets.internal;

import java.util.List;

/** Settings that belong to our backends, so a setting present without its jar can be reported. */
final class KnownBackends {
  record Known(String providerId, String artifactId, String storeName, List<String> settings) {}

  static final List<Known> ALL = List.of(
      new Known("dotenv", "secrets-backend-dotenv", ".env files", List.of("SECRETS_DOTENV_DIR")),
      new Known("vault", "secrets-backend-vault", "Vault", List.of("VAULT_ADDR")),
      new Known("aws", "secrets-backend-aws", "AWS Secrets Manager",
          List.of("SECRETS_AWS_SECRET_ID", "SECRETS_AWS_PREFIX")),
      new Known("azure", "secrets-backend-azure", "Azure Key Vault",
          List.of("AZURE_KEYVAULT_URL", "SECRETS_AZURE_VAULT_URL")),
      new Known("k8s-files", "secrets-backend-k8s", "Kubernetes mounted secrets", List.of("SECRETS_K8S_MOUNT")),
      new Known("k8s", "secrets-backend-k8s", "Kubernetes Secret objects", List.of("SECRETS_K8S_SECRET")));

  private KnownBackends() {}
}
