package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * Regressions: the reasons of a missing key (Map.copyOf) and the required keys (Set.copyOf) lost their
 * order, so reports changed from run to run.
 */
class ValidationReasonsOrderTest {

  private static SecretBackend empty(String id) {
    return new SecretBackend() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Set<Capability> capabilities() {
        return Set.of();
      }

      @Override
      public Optional<Secret> fetch(String key, VersionSelector version) {
        return Optional.empty();
      }
    };
  }

  @Test
  void reasonsOfAMissingKeyFollowTheSearchOrder() {
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(empty("b5"), 500).backend(empty("a4"), 400).backend(empty("e3"), 300).backend(empty("c2"), 200)
        .backend(empty("d1"), 100).require("MISSING").build()) {

      ValidationReport report = resolver.inspect().validate();

      Map<String, String> reasons = report.problems().get(0).reasons();
      assertThat(List.copyOf(reasons.keySet())).containsExactly("b5", "a4", "e3", "c2", "d1");
      assertThat(report.toString()).contains("MISSING: b5: not found; a4: not found; e3: not found; c2: not found; "
          + "d1: not found");
    }
  }

  @Test
  void missingKeysAreReportedInTheOrderTheyWereRequired() {
    String[] keys = {"SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "A", "Z", "M", "B", "Y"};
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(Map.of("SECRETS_REQUIRED",
        "K2,K1"))).backend(empty("only"), 100).require(keys).build()) {

      ValidationReport report = resolver.inspect().validate();

      assertThat(report.missingKeys()).containsExactly("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "A", "Z", "M",
          "B", "Y", "K2", "K1");
    }
  }
}
