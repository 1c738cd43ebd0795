package org.nexusreussite.secrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.internal.Durations;

/**
 * Which keys rotate, how and how often: the file {@code secrets-rotation.properties}, one setting per line.
 *
 * <pre>
 * # KEY.generator = a SecretGenerators spec; KEY.max-age = 30s, 5m, 1h, 30d or ISO-8601; KEY.backend optional
 * JWT_SECRET_KEY.generator = base64url:48
 * JWT_SECRET_KEY.max-age   = 30d
 * DATABASE_PASSWORD.generator = password:32
 * DATABASE_PASSWORD.max-age   = 90d
 * DATABASE_PASSWORD.backend   = vault
 * </pre>
 *
 * <p>{@link #due(SecretResolver, Instant)} selects the keys whose current version, by the store's own creation
 * time, is older than their maximum age. Immutable and thread-safe.
 */
public final class RotationPolicy {
  /** The default file name. */
  public static final String FILE_NAME = "secrets-rotation.properties";
  /** Most keys one policy may hold: the file is written by people, and each due check asks a store. */
  public static final int MAX_KEYS = 1_000;
  private static final long MAX_FILE_BYTES = 256 * 1024;

  /**
   * One key's rule.
   *
   * @param key the key
   * @param generator the generator spec, e.g. {@code base64url:48}
   * @param maxAge the age after which the key is due
   * @param backend the backend to write to; null for the one serving the key
   */
  public record Rule(String key, String generator, Duration maxAge, @Nullable String backend) {
    /** Validates. */
    public Rule {
      Keys.requireValid(key);
      Objects.requireNonNull(generator, "generator");
      Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The generator this rule names. */
    public SecretGenerator generatorInstance() {
      return SecretGenerators.parse(generator);
    }
  }

  /**
   * The due check of one key.
   *
   * @param rule the rule
   * @param current the version current in the store (empty when the key was not found)
   * @param age how old it is (empty when the store gives no creation time)
   * @param due whether it is older than the rule's maximum age
   * @param failure why the store could not be asked (then not due), so that one key's store failing does not
   *     stop the others' checks
   */
  public record Check(Rule rule, Optional<SecretVersion> current, Optional<Duration> age, boolean due,
      Optional<SecretsException> failure) {
    /** A check whose store answered. */
    public Check(Rule rule, Optional<SecretVersion> current, Optional<Duration> age, boolean due) {
      this(rule, current, age, due, Optional.empty());
    }
  }

  private final String source;
  private final List<Rule> rules;

  private RotationPolicy(String source, List<Rule> rules) {
    this.source = source;
    this.rules = List.copyOf(rules);
  }

  /** A policy of these rules. */
  public static RotationPolicy of(List<Rule> rules) {
    return new RotationPolicy("(code)", rules);
  }

  /**
   * Reads a policy file.
   *
   * @throws InvalidSecretSourceException naming file and line when a line is wrong (never quoting a value)
   * @throws BackendConfigurationException when the file cannot be read
   */
  public static RotationPolicy load(Path file) {
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new InvalidSecretSourceException("policy", file.toString(), 0,
            "larger than " + MAX_FILE_BYTES + " bytes; a rotation policy is a short list of keys");
      }
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return parse(file.toString(), in);
      }
    } catch (IOException e) {
      throw new BackendConfigurationException("policy", "Cannot read the rotation policy " + file + " ("
          + e.getClass().getSimpleName() + "); check the path given with --policy or " + FILE_NAME
          + " in the working directory", e);
    }
  }

  /** Parses policy text; {@code source} names it in errors. */
  public static RotationPolicy parse(String source, Reader text) throws IOException {
    Map<String, Map<String, String>> byKey = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    BufferedReader in = new BufferedReader(text);
    String line;
    int n = 0;
    while ((line = in.readLine()) != null) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
        continue;
      }
      int eq = t.indexOf('=');
      if (eq < 0) {
        throw new InvalidSecretSourceException("policy", source, n, "expected KEY.generator=SPEC, "
            + "KEY.max-age=DURATION or KEY.backend=ID");
      }
      String name = t.substring(0, eq).strip();
      String value = t.substring(eq + 1).strip();
      int dot = name.lastIndexOf('.');
      String key = dot < 0 ? "" : name.substring(0, dot);
      String attr = dot < 0 ? "" : name.substring(dot + 1);
      if (!Keys.isValid(key) || !List.of("generator", "max-age", "backend").contains(attr)) {
        throw new InvalidSecretSourceException("policy", source, n, "the name must be KEY.generator, KEY.max-age "
            + "or KEY.backend with a valid key ([A-Za-z_][A-Za-z0-9_.-]*)");
      }
      Map<String, String> attrs = byKey.computeIfAbsent(key, k -> new LinkedHashMap<>());
      if (attrs.put(attr, value) != null) {
        throw new InvalidSecretSourceException("policy", source, n, key + "." + attr + " is set twice");
      }
      lineOf.putIfAbsent(key, n);
      if (byKey.size() > MAX_KEYS) {
        throw new InvalidSecretSourceException("policy", source, n, "more than " + MAX_KEYS + " keys");
      }
    }
    List<Rule> rules = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : byKey.entrySet()) {
      String key = e.getKey();
      int at = lineOf.getOrDefault(key, 0);
      String gen = e.getValue().get("generator");
      String age = e.getValue().get("max-age");
      if (gen == null || age == null) {
        throw new InvalidSecretSourceException("policy", source, at, key + " needs both " + key + ".generator and "
            + key + ".max-age");
      }
      try {
        SecretGenerators.parse(gen);
      } catch (IllegalArgumentException ex) {
        throw new InvalidSecretSourceException("policy", source, at, key + ".generator: " + ex.getMessage());
      }
      Duration maxAge = Durations.parse(age).filter(d -> !d.isZero()).orElseThrow(() ->
          new InvalidSecretSourceException("policy", source, at, key + ".max-age: expected a positive duration "
              + "such as 30d, 12h or P30D"));
      String backend = e.getValue().get("backend");
      rules.add(new Rule(key, gen, maxAge, backend == null || backend.isEmpty() ? null : backend));
    }
    return new RotationPolicy(source, rules);
  }

  /** Where the policy came from (a file path, or {@code (code)}). */
  public String source() {
    return source;
  }

  /** The rules, in file order. */
  public List<Rule> rules() {
    return Collections.unmodifiableList(rules);
  }

  /**
   * Checks every rule against the store: a key is due when its current value was written more than its
   * maximum age before {@code now}: the creation time of the oldest of the consecutive latest versions that
   * hold that value (so a write to another field of a shared Vault path or AWS JSON secret does not reset it). The creation time is the store's ({@link SecretAdmin#versions(String)},
   * else the served version's); a key whose store gives none is not due, and its check says so (empty
   * age). A key no backend holds is not due either (rotating needs an existing key: use {@code secrets set}).
   * A key whose store cannot be asked gets a check carrying the failure, and the other keys are still checked.
   */
  public List<Check> check(SecretResolver resolver, Instant now) {
    SecretAdmin admin = resolver.admin();
    List<Check> out = new ArrayList<>();
    for (Rule rule : rules) {
      try {
        out.add(check(resolver, admin, rule, now));
      } catch (SecretsException ex) {
        out.add(new Check(rule, Optional.empty(), Optional.empty(), false, Optional.of(ex)));
      }
    }
    return out;
  }

  private static Check check(SecretResolver resolver, SecretAdmin admin, Rule rule, Instant now) {
    Secret served;
    try {
      served = resolver.secret(rule.key());
    } catch (SecretNotFoundException ex) {
      return new Check(rule, Optional.empty(), Optional.empty(), false);
    }
    if (rule.backend() != null && !rule.backend().equals(served.backend())) {
      // the age read here would be the serving store's: the key would be due on every run while its rotations
      // go to the other store
      return new Check(rule, Optional.empty(), Optional.empty(), false, Optional.of(new BackendConfigurationException(
          "config", "Rotation policy: " + rule.key() + ".backend is " + rule.backend() + ", but "
          + served.backend() + " serves " + rule.key() + ", so the age of " + rule.backend() + "'s version cannot "
          + "be checked; remove " + rule.key() + ".backend or make " + rule.backend() + " the store that serves it")));
    }
    SecretVersion current = served.version();
    Instant created = current.createdAt().orElse(null);
    if (created == null) {
      try {
        for (SecretVersion v : admin.versions(rule.key())) {
          if (v.id().equals(current.id()) || v.current()) {
            created = v.createdAt().orElse(null);
            current = v;
            break;
          }
        }
      } catch (UnsupportedCapabilityException ex) {
        // no history: no creation time beyond what the read gave
      }
    }
    if (created == null) {
      return new Check(rule, Optional.of(current), Optional.empty(), false);
    }
    created = valueUnchangedSince(resolver, admin, rule.key(), served, current, created);
    Duration age = Duration.between(created, now);
    return new Check(rule, Optional.of(current), Optional.of(age), age.compareTo(rule.maxAge()) > 0);
  }

  /**
   * How far back the served value goes: in a store that versions a whole source (a Vault path, an AWS JSON
   * secret), writing another field of it makes a new version holding this key's unchanged value, and the age
   * must not restart there. Walks back through the older versions (at most {@link #MAX_VERSIONS_WALKED}) while
   * they hold the same value, and returns the creation time of the oldest such version. Values are compared in
   * memory and never kept.
   */
  private static Instant valueUnchangedSince(SecretResolver resolver, SecretAdmin admin, String key, Secret served,
      SecretVersion current, Instant created) {
    List<SecretVersion> older = new ArrayList<>();
    try {
      for (SecretVersion v : admin.versions(key)) {
        Instant at = v.createdAt().orElse(null);
        if (at != null && at.isBefore(created) && !v.id().equals(current.id())) {
          older.add(v);
        }
      }
    } catch (UnsupportedCapabilityException ex) {
      return created; // no history to walk
    }
    older.sort((a, b) -> b.createdAt().orElseThrow().compareTo(a.createdAt().orElseThrow()));
    Instant since = created;
    String value = served.reveal();
    int walked = 0;
    for (SecretVersion v : older) {
      if (walked++ == MAX_VERSIONS_WALKED) {
        break;
      }
      String earlier;
      try {
        earlier = resolver.secret(key, VersionSelector.id(v.id())).reveal();
      } catch (SecretsException ex) {
        break; // deleted, destroyed, or the key absent from that version: the value started after it
      }
      if (!earlier.equals(value)) {
        break;
      }
      since = v.createdAt().orElseThrow();
    }
    return since;
  }

  /** The most older versions one check reads back per key (each is one store read). */
  static final int MAX_VERSIONS_WALKED = 16;

  /** The rules whose keys are due now: {@link #check} filtered. */
  public List<Rule> due(SecretResolver resolver, Instant now) {
    List<Rule> due = new ArrayList<>();
    for (Check c : check(resolver, now)) {
      if (c.due()) {
        due.add(c.rule());
      }
    }
    return due;
  }

  @Override
  public String toString() {
    return "RotationPolicy[" + source + ", " + rules.size() + " keys]";
  }
}
