package org.nexusreussite.secrets;

import java.util.List;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * What {@link SecretResolverBuilder#build()} would assemble, worked out by the same code without creating
 * any backend: every provider with its activation, ordinal (after {@code SECRETS_<ID>_ORDINAL}) and source,
 * in the search order ({@code SECRETS_BACKENDS} when set, else ordinal then id), the warnings, and the
 * problems that would make {@code build()} fail. Tools such as {@code secrets doctor} use it so they can
 * never disagree with the resolver they diagnose. Never a value. Immutable.
 *
 * <pre>{@code
 * ResolverPlan plan = SecretResolver.builder().discover().plan();
 * plan.backends().stream().filter(PlannedBackend::active).forEach(b -> System.out.println(b.id()));
 * }</pre>
 *
 * @param profile the profile
 * @param backends active backends in search order, then inactive ones by id
 * @param warnings what the assembly warns about (a setting for a backend whose jar is missing, ...)
 * @param problems why {@code build()} would fail while assembling, in the order found; empty when it would
 *     get past assembly (required secrets are checked later, by {@link SecretResolver#validate()})
 */
public record ResolverPlan(Profile profile, List<PlannedBackend> backends, List<String> warnings,
    List<String> problems) {

  /** Copies the lists. */
  public ResolverPlan {
    backends = List.copyOf(backends);
    warnings = List.copyOf(warnings);
    problems = List.copyOf(problems);
  }

  /** One provider or backend given in code, as the resolver would see it. Thread-safe. */
  public interface PlannedBackend {
    /** The backend id. */
    String id();

    /** Its precedence after settings (higher wins); with {@code SECRETS_BACKENDS}, its place in that list. */
    int ordinal();

    /** Whether the resolver would search it. */
    boolean active();

    /** Why it is active or not, in words a person can act on. */
    String reason();

    /** The jar or module the provider came from, or {@code builder} for one given in code. */
    String source();

    /**
     * Creates the backend as the resolver would (same settings, profile and clock), with the given scheduler
     * for its background work; for a backend given in code, returns that instance. The caller closes a
     * backend it created.
     *
     * @throws BackendConfigurationException when the backend is not active or a setting is wrong
     */
    SecretBackend create(TaskScheduler scheduler);
  }
}
