package org.nexusreussite.secrets.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.ResolverPlan;
import org.nexusreussite.secrets.ResolverDescription.BackendDescription;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * Turns settings into the resolver's parts: discovered and explicit backends in search order, their
 * descriptions, required keys, pins, and warnings.
 */
record Assembly(List<BackendSlot> slots, List<BackendDescription> descriptions, Set<String> required,
    Map<String, VersionSelector> pins, List<String> warnings, TaskScheduler scheduler,
    @Nullable AutoCloseable ownedScheduler) {

  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");

  /** By id. A class rather than {@code Comparator.comparing(Candidate::id)}: no lambda bootstrap at start-up. */
  private static final Comparator<Candidate> BY_ID = new Comparator<>() {
    @Override
    public int compare(Candidate a, Candidate b) {
      return a.id().compareTo(b.id());
    }
  };

  /** Highest ordinal first, then by id. */
  private static final Comparator<Candidate> BY_PRECEDENCE = new Comparator<>() {
    @Override
    public int compare(Candidate a, Candidate b) {
      int byOrdinal = Integer.compare(b.ordinal(), a.ordinal());
      return byOrdinal != 0 ? byOrdinal : a.id().compareTo(b.id());
    }
  };

  /**
   * The descriptions, with each active backend's capabilities asked when read rather than frozen at build:
   * a backend may learn them from its first read (a Vault path found on a KV v1 mount has no versions), and
   * {@code describe()} should say what is true now. Backends answer {@code capabilities()} without I/O.
   */
  @Override
  public List<BackendDescription> descriptions() {
    return new java.util.AbstractList<>() {
      @Override
      public BackendDescription get(int index) {
        BackendDescription d = descriptions.get(index);
        if (!d.active() || index >= slots.size()) {
          return d;
        }
        return new BackendDescription(d.id(), d.ordinal(), true, d.reason(), d.description(), d.source(),
            slots.get(index).backend.capabilities());
      }

      @Override
      public int size() {
        return descriptions.size();
      }
    };
  }

  /** A provider or a backend given in code, with its activation and ordinal after settings. */
  private record Candidate(String id, int ordinal, Activation activation, String source,
      @Nullable SecretBackendProvider provider, @Nullable SecretBackend backend, ResolverSettings settings)
      implements ResolverPlan.PlannedBackend {

    @Override
    public boolean active() {
      return activation.active();
    }

    @Override
    public String reason() {
      return activation.reason();
    }

    Candidate withPlace(int newOrdinal, Activation newActivation) {
      return new Candidate(id, newOrdinal, newActivation, source, provider, backend, settings);
    }

    @Override
    public SecretBackend create(TaskScheduler scheduler) {
      if (backend != null) {
        return backend;
      }
      if (!active()) {
        throw new BackendConfigurationException(id, "Backend '" + id + "' is not active (" + reason()
            + "), so it is not created");
      }
      return createBackend(this, settings, java.util.Objects.requireNonNull(scheduler, "scheduler"));
    }
  }

  /**
   * What the settings assemble to, before any backend is created: the candidates in search order, the
   * inactive ones, and the problems that stop {@link #assemble} (kept, not thrown, so a plan can still show
   * every provider to a person diagnosing the failure).
   */
  record Plan(List<Candidate> active, List<Candidate> inactive, List<String> warnings,
      List<SecretsException> problems) {

    ResolverPlan toPublic(Profile profile) {
      List<ResolverPlan.PlannedBackend> all = new ArrayList<>(active);
      all.addAll(inactive);
      return new ResolverPlan(profile, all, warnings, problems.stream().map(Throwable::getMessage).toList());
    }
  }

  /** The public plan of {@code settings}: same discovery, activation, ordinals and order as the resolver. */
  static ResolverPlan publicPlan(ResolverSettings settings) {
    TaskScheduler scheduler = settings.scheduler() != null ? settings.scheduler()
        : SimpleBackendContext.sharedScheduler();
    return plan(settings, scheduler).toPublic(settings.profile());
  }

  static Assembly assemble(ResolverSettings s) {
    TaskScheduler scheduler = s.scheduler();
    DefaultTaskScheduler owned = null;
    if (scheduler == null) {
      owned = new DefaultTaskScheduler();
      scheduler = owned;
    }
    List<BackendSlot> slots = new ArrayList<>();
    try {
      Map<String, VersionSelector> pins = parsePins(s.config().list("SECRETS_PINS"));
      Set<String> required = requiredKeys(s);
      Plan plan = plan(s, scheduler);
      if (!plan.problems().isEmpty()) {
        throw plan.problems().get(0);
      }
      for (String w : plan.warnings()) {
        LOG.log(System.Logger.Level.WARNING, w);
      }
      List<BackendDescription> descriptions = new ArrayList<>();
      for (Candidate c : plan.active()) {
        SecretBackend backend = c.create(scheduler);
        BackendSlot slot = new BackendSlot(backend, c.ordinal(), slots.size());
        slots.add(slot);
        descriptions.add(new BackendDescription(c.id(), c.ordinal(), true, c.reason(), slot.description,
            c.source(), backend.capabilities()));
        LOG.log(System.Logger.Level.DEBUG, "Secrets backend ''{0}'' active (ordinal {1}): {2}", c.id(),
            c.ordinal(), c.reason());
      }
      for (Candidate c : plan.inactive()) {
        descriptions.add(new BackendDescription(c.id(), c.ordinal(), false, c.reason(), c.id(), c.source(),
            Set.of()));
      }
      return new Assembly(List.copyOf(slots), List.copyOf(descriptions), required, pins, plan.warnings(),
          scheduler, owned);
    } catch (RuntimeException e) {
      for (BackendSlot slot : slots) {
        slot.backend.close();
      }
      if (owned != null) {
        owned.close();
      }
      throw e;
    }
  }

  static Plan plan(ResolverSettings s, TaskScheduler scheduler) {
    List<String> warnings = new ArrayList<>();
    List<SecretsException> problems = new ArrayList<>();
    List<ProviderDiscovery.Found> found = ProviderDiscovery.discover(s.discover(), s.classLoader(), s.providers());
    Map<String, Candidate> byId = new LinkedHashMap<>();
    for (ProviderDiscovery.Found f : found) {
      SecretBackendProvider p = f.provider();
      Activation activation = activation(p, s, scheduler, problems);
      int ordinal = ordinal(p, s, problems);
      byId.put(p.id(), new Candidate(p.id(), ordinal, activation, f.source(), p, null, s));
    }
    Set<String> given = new HashSet<>();
    for (ResolverSettings.ExplicitBackend b : s.backends()) {
      String id = b.backend().id();
      if (!given.add(id)) {
        problems.add(new BackendConfigurationException("config", "Two backends given in code claim the id '"
            + id + "'. Give each backend a distinct id."));
        continue;
      }
      Candidate replaced = byId.put(id, new Candidate(id, b.ordinal(), Activation.active("given in code"),
          "builder", null, b.backend(), s));
      if (replaced != null) {
        // a test standing in for a store whose jar is on the class path, or an application configuring it in code
        LOG.log(System.Logger.Level.INFO, "Secrets backend ''{0}'' given in code replaces the provider found in {1}",
            id, replaced.source());
      }
    }

    for (KnownBackends.Known known : KnownBackends.ALL) {
      if (byId.containsKey(known.providerId()) || !s.discover()) {
        continue;
      }
      for (String setting : known.settings()) {
        if (s.config().isSet(setting)) {
          String message = setting + " is set but " + known.artifactId() + " is not on the classpath: add "
              + "org.nexusreussite.secrets:" + known.artifactId() + " to read secrets from " + known.storeName();
          if (s.profile().strict()) {
            problems.add(new BackendConfigurationException(known.providerId(), message));
          }
          warnings.add(message);
        }
      }
    }

    List<Candidate> active = order(byId, s, problems);
    Set<String> activeIds = new HashSet<>();
    for (Candidate c : active) {
      activeIds.add(c.id());
    }
    boolean listed = !s.config().list("SECRETS_BACKENDS").isEmpty();
    // loops, not a stream and lambdas: every start-up runs this, and first uses cost it (issue 18)
    List<Candidate> inactive = new ArrayList<>();
    for (Candidate c : byId.values()) {
      if (!activeIds.contains(c.id())) {
        inactive.add(listed && c.active()
            ? c.withPlace(c.ordinal(), Activation.inactive("not listed in SECRETS_BACKENDS (" + c.reason() + ")"))
            : c);
      }
    }
    inactive.sort(BY_ID);
    return new Plan(List.copyOf(active), List.copyOf(inactive), List.copyOf(warnings), List.copyOf(problems));
  }

  private static Activation activation(SecretBackendProvider p, ResolverSettings s, TaskScheduler scheduler,
      List<SecretsException> problems) {
    BackendContext context = new SimpleBackendContext(p.id(), s.config(), s.profile(), scheduler, s.clock());
    try {
      return p.activation(context);
    } catch (SecretsException e) {
      problems.add(e);
      return Activation.inactive("cannot decide: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.add(new BackendConfigurationException(p.id(), "Provider '" + p.id() + "' failed to decide whether "
          + "it is active: " + e.getClass().getName() + " (cause attached)", e));
      return Activation.inactive("activation failed with " + e.getClass().getName());
    }
  }

  private static int ordinal(SecretBackendProvider p, ResolverSettings s, List<SecretsException> problems) {
    try {
      return s.config().integer(ordinalSetting(p.id()), p.defaultOrdinal());
    } catch (SecretsException e) {
      problems.add(e);
      return p.defaultOrdinal();
    }
  }

  /** The setting that overrides a provider's ordinal: {@code k8s-files} -> {@code SECRETS_K8S_FILES_ORDINAL}. */
  static String ordinalSetting(String id) {
    return "SECRETS_" + idToSetting(id) + "_ORDINAL";
  }

  /** Active candidates in search order: SECRETS_BACKENDS when set, else by ordinal then id. */
  private static List<Candidate> order(Map<String, Candidate> byId, ResolverSettings s,
      List<SecretsException> problems) {
    List<String> explicit = s.config().list("SECRETS_BACKENDS");
    if (explicit.isEmpty()) {
      List<Candidate> active = new ArrayList<>();
      for (Candidate c : byId.values()) {
        if (c.active()) {
          active.add(c);
        }
      }
      active.sort(BY_PRECEDENCE);
      return active;
    }
    List<Candidate> ordered = new ArrayList<>();
    for (String id : new LinkedHashSet<>(explicit)) {
      Candidate c = byId.get(id);
      if (c == null) {
        problems.add(new BackendConfigurationException("config", "SECRETS_BACKENDS names backend '" + id
            + "', which is not on the classpath (available: " + String.join(", ", byId.keySet()) + ")"));
        continue;
      }
      if (!c.active()) {
        problems.add(new BackendConfigurationException(id, "SECRETS_BACKENDS names backend '" + id
            + "', which is not active: " + c.reason()));
        continue;
      }
      // the listed order is the precedence: give descending ordinals so describe() shows it
      ordered.add(c.withPlace(1000 - ordered.size(), c.activation()));
    }
    return ordered;
  }

  private static SecretBackend createBackend(Candidate c, ResolverSettings s, TaskScheduler scheduler) {
    BackendContext context = new SimpleBackendContext(c.id(), s.config(), s.profile(), scheduler, s.clock());
    try {
      SecretBackendProvider provider = java.util.Objects.requireNonNull(c.provider(), "a discovered candidate");
      SecretBackend backend = provider.create(context);
      if (!c.id().equals(backend.id())) {
        throw new BackendConfigurationException(c.id(), "Provider '" + c.id() + "' created a backend with id '"
            + backend.id() + "'; the ids must match");
      }
      return backend;
    } catch (SecretsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new BackendConfigurationException(c.id(), "Could not create the '" + c.id() + "' backend: "
          + e.getClass().getName() + " (cause attached); check its settings with 'secrets doctor'", e);
    }
  }

  /** {@code k8s-files} -> {@code K8S_FILES}. */
  static String idToSetting(String id) {
    return id.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  static Map<String, VersionSelector> parsePins(List<String> entries) {
    Map<String, VersionSelector> pins = new LinkedHashMap<>();
    for (String entry : entries) {
      int at = entry.lastIndexOf('@');
      if (at <= 0 || at == entry.length() - 1) {
        throw BackendConfigurationException.setting("SECRETS_PINS",
            "expected KEY@version entries separated by commas, e.g. DATABASE_URL@3,API_KEY@stage:AWSPREVIOUS");
      }
      String key = entry.substring(0, at).strip();
      if (!Keys.isValid(key)) {
        throw BackendConfigurationException.setting("SECRETS_PINS", "an entry has an invalid key; keys match "
            + "[A-Za-z_][A-Za-z0-9_.-]*");
      }
      try {
        pins.put(key, VersionSelector.parse(entry.substring(at + 1).strip()));
      } catch (IllegalArgumentException e) {
        // found by fuzzing: "KEY@stage:" escaped as an IllegalArgumentException instead of naming the setting
        throw BackendConfigurationException.setting("SECRETS_PINS", "an entry for " + key + " has an empty or "
            + "invalid version; use a version id, latest, previous or stage:NAME");
      }
    }
    return pins;
  }

  private static Set<String> requiredKeys(ResolverSettings s) {
    Set<String> required = new LinkedHashSet<>(s.required());
    for (String key : s.config().list("SECRETS_REQUIRED")) {
      if (!Keys.isValid(key)) {
        throw BackendConfigurationException.setting("SECRETS_REQUIRED",
            "expected a comma-separated list of keys matching [A-Za-z_][A-Za-z0-9_.-]*");
      }
      required.add(key);
    }
    java.util.Optional<String> schema = s.config().get("SECRETS_SCHEMA");
    if (schema.isPresent()) {
      required.addAll(schemaKeys(Path.of(schema.get())));
    }
    return required;
  }

  /**
   * Keys of a {@code .env.example}-style schema: each {@code KEY=...} line is required unless its inline
   * comment contains the word {@code optional}.
   */
  static List<String> schemaKeys(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BackendConfigurationException("config", "SECRETS_SCHEMA names " + file
          + ", which cannot be read (" + e.getClass().getSimpleName() + "); fix the path or unset it", e);
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      String key = (eq < 0 ? line : line.substring(0, eq)).strip();
      if (!Keys.isValid(key)) {
        throw new BackendConfigurationException("config", "SECRETS_SCHEMA " + file + ":" + (i + 1)
            + ": expected KEY=placeholder with a key matching [A-Za-z_][A-Za-z0-9_.-]*");
      }
      int comment = line.indexOf(" #");
      boolean optional = comment >= 0 && line.substring(comment).toLowerCase(Locale.ROOT).contains("optional");
      if (!optional) {
        keys.add(key);
      }
    }
    return keys;
  }
}
