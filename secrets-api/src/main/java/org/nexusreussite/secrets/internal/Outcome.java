package org.nexusreussite.secrets.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretsException;

/**
 * What asking the backends for one key gave: a secret (with the id of the read it came from), nothing,
 * or an error. Immutable.
 */
record Outcome(@Nullable Secret secret, @Nullable BackendSlot slot, @Nullable SecretsException error,
    Map<String, String> reasons, List<String> searched, long readId) {

  static Outcome found(Secret secret, BackendSlot slot, long readId) {
    return new Outcome(secret, slot, null, Map.of(), List.of(), readId);
  }

  static Outcome notFound(Map<String, String> reasons, List<String> searched) {
    return new Outcome(null, null, null, reasons, searched, 0);
  }

  static Outcome failed(SecretsException error, BackendSlot slot, Map<String, String> reasons,
      List<String> searched) {
    return new Outcome(null, slot, error, reasons, searched, 0);
  }

  /** The outcome for {@code key} in a result of {@link BackendChain#latest}, which answers every key asked. */
  static Outcome of(Map<String, Outcome> outcomes, String key) {
    Outcome o = outcomes.get(key);
    if (o == null) {
      throw new IllegalStateException("No outcome for '" + key + "'");
    }
    return o;
  }

  boolean isFound() {
    return secret != null;
  }

  boolean isFailed() {
    return error != null;
  }
}
