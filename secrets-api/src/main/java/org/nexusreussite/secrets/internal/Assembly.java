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
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Keys;
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
    AutoCloseable ownedScheduler) {

  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");

  private record Candidate(String id, int ordinal, Activation activation, String source,
      SecretBackendProvider provider, SecretBackend backend) {}

  static Assembly assemble(ResolverSettings s) {
    List<String> warnings = new ArrayList<>();
    TaskScheduler scheduler = s.scheduler();
    DefaultTaskScheduler owned = null;
    if (scheduler == null) {
      owned = new DefaultTaskScheduler();
      scheduler = owned;
    }
    Map<String, VersionSelector> pins = parsePins(s.config().list("SECRETS_PINS"));
    Set<String> required = requiredKeys(s);

    List<ProviderDiscovery.Found> found = ProviderDiscovery.discover(s.discover(), s.classLoader(), s.providers());
    List<Candidate> candidates = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ProviderDiscovery.Found f : found) {
      SecretBackendProvider p = f.provider();
      BackendContext context = new SimpleBackendContext(p.id(), s.config(), s.profile(), scheduler, s.clock());
      Activation activation = p.activation(context);
      int ordinal = s.config().integer("SECRETS_" + idToSetting(p.id()) + "_ORDINAL", p.defaultOrdinal());
      candidates.add(new Candidate(p.id(), ordinal, activation, f.source(), p, null));
      ids.add(p.id());
    }
    for (ResolverSettings.ExplicitBackend b : s.backends()) {
      if (!ids.add(b.backend().id())) {
        throw new BackendConfigurationException("config", "Two backends claim the id '" + b.backend().id()
            + "'. Give each backend a distinct id.");
      }
      candidates.add(new Candidate(b.backend().id(), b.ordinal(), Activation.active("given in code"), "builder",
          null, b.backend()));
    }

    for (KnownBackends.Known known : KnownBackends.ALL) {
      if (ids.contains(known.providerId()) || !s.discover()) {
        continue;
      }
      for (String setting : known.settings()) {
        if (s.config().isSet(setting)) {
          String message = setting + " is set but " + known.artifactId() + " is not on the classpath: add "
              + "org.nexusreussite.secrets:" + known.artifactId() + " to read secrets from " + known.storeName();
          if (s.profile().strict()) {
            throw new BackendConfigurationException(known.providerId(), message);
          }
          warnings.add(message);
          LOG.log(System.Logger.Level.WARNING, message);
        }
      }
    }

    List<Candidate> active = order(candidates, s);
    List<BackendSlot> slots = new ArrayList<>();
    List<BackendDescription> descriptions = new ArrayList<>();
    try {
      for (Candidate c : active) {
        SecretBackend backend = c.backend() != null ? c.backend() : createBackend(c, s, scheduler);
        BackendSlot slot = new BackendSlot(backend, c.ordinal(), slots.size());
        slots.add(slot);
        descriptions.add(new BackendDescription(c.id(), c.ordinal(), true, c.activation().reason(),
            slot.description, c.source(), backend.capabilities()));
      }
    } catch (RuntimeException e) {
      for (BackendSlot slot : slots) {
        slot.backend.close();
      }
      if (owned != null) {
        owned.close();
      }
      throw e;
    }
    Set<String> activeIds = new HashSet<>();
    active.forEach(c -> activeIds.add(c.id()));
    candidates.stream()
        .filter(c -> !activeIds.contains(c.id()))
        .sorted(Comparator.comparing(Candidate::id))
        .forEach(c -> descriptions.add(new BackendDescription(c.id(), c.ordinal(), false, c.activation().reason(),
            c.id(), c.source(), Set.of())));
    for (Candidate c : active) {
      LOG.log(System.Logger.Level.DEBUG, "Secrets backend ''{0}'' active (ordinal {1}): {2}", c.id(), c.ordinal(),
          c.activation().reason());
    }
    return new Assembly(List.copyOf(slots), List.copyOf(descriptions), required, pins, List.copyOf(warnings),
        scheduler, owned);
  }

  /** Active candidates in search order: SECRETS_BACKENDS when set, else by ordinal then id. */
  private static List<Candidate> order(List<Candidate> candidates, ResolverSettings s) {
    List<String> explicit = s.config().list("SECRETS_BACKENDS");
    if (explicit.isEmpty()) {
      List<Candidate> active = new ArrayList<>();
      for (Candidate c : candidates) {
        if (c.activation().active()) {
          active.add(c);
        }
      }
      active.sort(Comparator.comparingInt(Candidate::ordinal).reversed().thenComparing(Candidate::id));
      return active;
    }
    Map<String, Candidate> byId = new LinkedHashMap<>();
    candidates.forEach(c -> byId.put(c.id(), c));
    List<Candidate> ordered = new ArrayList<>();
    for (String id : new LinkedHashSet<>(explicit)) {
      Candidate c = byId.get(id);
      if (c == null) {
        throw new BackendConfigurationException("config", "SECRETS_BACKENDS names backend '" + id
            + "', which is not on the classpath (available: " + String.join(", ", byId.keySet()) + ")");
      }
      if (!c.activation().active()) {
        throw new BackendConfigurationException(id, "SECRETS_BACKENDS names backend '" + id
            + "', which is not active: " + c.activation().reason());
      }
      // the listed order is the precedence: give descending ordinals so describe() shows it
      ordered.add(new Candidate(c.id(), 1000 - ordered.size(), c.activation(), c.source(), c.provider(),
          c.backend()));
    }
    return ordered;
  }

  private static SecretBackend createBackend(Candidate c, ResolverSettings s, TaskScheduler scheduler) {
    BackendContext context = new SimpleBackendContext(c.id(), s.config(), s.profile(), scheduler, s.clock());
    try {
      SecretBackend backend = c.provider().create(context);
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
    s.config().get("SECRETS_SCHEMA").ifPresent(path -> required.addAll(schemaKeys(Path.of(path))));
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
