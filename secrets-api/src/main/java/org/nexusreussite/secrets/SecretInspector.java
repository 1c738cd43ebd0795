package org.nexusreussite.secrets;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Introspection of a {@link SecretResolver}: validation, explanations, description, health and listing.
 * Obtain it with {@link SecretResolver#inspect()}. Nothing here returns or prints a secret value.
 * Thread-safe.
 */
public interface SecretInspector {

  /** Checks every required key, collecting all problems into one report. Never throws for a missing key. */
  ValidationReport validate();

  /**
   * Where {@code key}'s value comes from, without the value. Asks no backend: a key that was never read
   * is reported as {@link SecretExplanation.CacheState#NOT_CACHED}.
   */
  SecretExplanation explain(String key);

  /** Profile, providers with their activation, search order, pins, cache settings, warnings. */
  ResolverDescription describe();

  /**
   * Health of each active backend, in search order, from what reads saw and what each backend reports
   * without I/O (e.g. a lost change watch). Cheap: asks no store.
   */
  List<BackendHealth> health();

  /**
   * Health of each active backend, in search order, probing every store live (connectivity,
   * authentication) within the backend's deadline, merged with what the backend reports.
   */
  List<BackendHealth> probeHealth();

  /**
   * The keys each listing-capable backend holds, backend id -> keys, in search order. Backends that
   * cannot list are left out.
   *
   * @throws BackendException when a listing backend fails
   */
  Map<String, Set<String>> listKeys();
}
