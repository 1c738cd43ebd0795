package org.nexusreussite.secrets.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.testkit.server.TestTools;

/**
 * SECURITY.md promises that its troubleshooting messages are exactly those the SDK throws. This test
 * provokes each core error and checks the guide quotes it, with {@code <...>} standing for the parts that
 * vary.
 */
class SecurityGuideTest {

  private static String guide() throws IOException {
    return Files.readString(TestTools.projectRoot().resolve("SECURITY.md"), StandardCharsets.UTF_8);
  }

  /** The backtick-quoted bold headings of the troubleshooting section, as patterns. */
  private static List<Pattern> documentedMessages() throws IOException {
    String guide = guide();
    String section = guide.substring(guide.indexOf("## Troubleshooting"));
    Matcher m = Pattern.compile("\\*\\*`([^`]+)`\\*\\*").matcher(section);
    List<Pattern> patterns = new java.util.ArrayList<>();
    while (m.find()) {
      StringBuilder regex = new StringBuilder();
      for (String part : m.group(1).split("<[^>]+>", -1)) {
        if (regex.length() > 0) {
          regex.append(".+?");
        }
        regex.append(Pattern.quote(part));
      }
      patterns.add(Pattern.compile(regex.toString()));
    }
    return patterns;
  }

  private static void assertDocumented(String message) throws IOException {
    assertThat(documentedMessages()).as("SECURITY.md documents: %s", message)
        .anyMatch(p -> p.matcher(message).matches());
  }


  @Test
  void missingRequiredSecretsInProduction() throws IOException {
    Throwable e = catchThrowable(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_PROFILE", "production"))).discover()
        .require("SECRET_KEY_FOR_DOCS_TEST", "JWT_SECRET_KEY_FOR_DOCS_TEST").build());
    String firstLine = e.getMessage().lines().findFirst().orElseThrow();
    assertDocumented(firstLine);
  }

  @Test
  void secretNotFound() throws IOException {
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty()).discover().build()) {
      assertDocumented(catchThrowable(() -> r.resolve("NOT_THERE_FOR_DOCS_TEST")).getMessage());
    }
  }

  @Test
  void missingBackendJarAndInvalidSetting() throws IOException {
    assertDocumented(catchThrowable(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_PROFILE", "production", "VAULT_ADDR", "https://vault:8200")))
        .discover().build()).getMessage());
    assertDocumented(catchThrowable(() -> SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_CACHE_REFRESH", "soon"))).build()).getMessage());
  }

  @Test
  void httpsInProduction() throws IOException {
    BackendContext strict = new BackendContext() {
      public String backendId() {
        return "vault";
      }

      public SecretsConfig config() {
        return SecretsConfig.empty();
      }

      public Profile profile() {
        return Profile.production();
      }

      public org.nexusreussite.secrets.spi.TaskScheduler scheduler() {
        return null;
      }

      public java.time.Clock clock() {
        return java.time.Clock.systemUTC();
      }

      public System.Logger logger() {
        return System.getLogger("docs");
      }
    };
    assertDocumented(catchThrowable(() -> strict.requireHttpsInStrictProfile("VAULT_ADDR",
        "http://vault:8200", "Vault")).getMessage());
  }

  @Test
  void invalidSource() throws IOException {
    assertDocumented(new org.nexusreussite.secrets.InvalidSecretSourceException("dotenv", "/app/.env", 3,
        "unterminated double quote").getMessage());
  }
}
