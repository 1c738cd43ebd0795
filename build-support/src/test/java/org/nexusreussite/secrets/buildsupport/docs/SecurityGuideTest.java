package org.nexusreussite.secrets.buildsupport.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.testkit.TestBackendContext;

/**
 * SECURITY.md promises that its troubleshooting messages are exactly those the SDK throws. This test
 * provokes each core error and checks the guide quotes it, with {@code <...>} standing for the parts that
 * vary.
 */
class SecurityGuideTest {

  private static void assertDocumented(String message) {
    SecurityGuide.assertDocumented(message);
  }

  @Test
  void missingRequiredSecretsInProduction() {
    Throwable e = catchThrowable(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_PROFILE", "production"))).discover()
        .require("SECRET_KEY_FOR_DOCS_TEST", "JWT_SECRET_KEY_FOR_DOCS_TEST").build());
    String firstLine = e.getMessage().lines().findFirst().orElseThrow();
    assertDocumented(firstLine);
  }

  @Test
  void secretNotFound() {
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty()).discover().build()) {
      assertDocumented(catchThrowable(() -> r.resolve("NOT_THERE_FOR_DOCS_TEST")).getMessage());
    }
  }

  @Test
  void missingBackendJarAndInvalidSetting() {
    assertDocumented(catchThrowable(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_PROFILE", "production", "VAULT_ADDR", "https://vault:8200")))
        .discover().build()).getMessage());
    assertDocumented(catchThrowable(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_CACHE_REFRESH", "soon"))).build()).getMessage());
  }

  @Test
  void httpsInProduction() {
    BackendContext strict = TestBackendContext.of("vault", Map.of()).withProfile(Profile.production());
    assertDocumented(catchThrowable(() -> strict.requireHttpsInStrictProfile("VAULT_ADDR",
        "http://vault:8200", "Vault")).getMessage());
  }

  @Test
  void invalidSource() {
    assertDocumented(new org.nexusreussite.secrets.InvalidSecretSourceException("dotenv", "/app/.env", 3,
        "unterminated double quote").getMessage());
  }

  @Test
  void aMessageTheGuideDoesNotQuoteFails() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> assertDocumented("Secret store exploded for reasons nobody wrote down"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not quote this message");
  }
}
