package org.nexusreussite.secrets.internal;

import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsException;

/** What asking the backends for one key gave: a secret, nothing, or an error. */
record Outcome(Secret secret, BackendSlot slot, SecretsException error, Map<String, String> reasons,
    List<String> searched) {

  static Outcome found(Secret secret, BackendSlot slot) {
    return new Outcome(secret, slot, null, Map.of(), List.of());
  }

  static Outcome notFound(Map<String, String> reasons, List<String> searched) {
    return new Outcome(null, null, null, reasons, searched);
  }

  static Outcome failed(SecretsException error, BackendSlot slot, Map<String, String> reasons,
      List<String> searched) {
    return new Outcome(null, slot, error, reasons, searched);
  }

  boolean isFound() {
    return secret != null;
  }

  boolean isFailed() {
    return error != null;
  }
}
