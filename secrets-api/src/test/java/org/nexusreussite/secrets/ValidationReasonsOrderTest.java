package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/** Regression: the reasons of a missing key were copied with Map.copyOf and lost the search order. */
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

      ValidationReport report = resolver.validate();

      Map<String, String> reasons = report.problems().get(0).reasons();
      assertThat(List.copyOf(reasons.keySet())).containsExactly("b5", "a4", "e3", "c2", "d1");
      assertThat(report.toString()).contains("MISSING: b5: not found; a4: not found; e3: not found; c2: not found; "
          + "d1: not found");
    }
  }
}
