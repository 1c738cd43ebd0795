package org.nexusreussite.secrets.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.nexusreussite.secrets.FingerprintKey;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretResolverBuilder;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.ValidationReport;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;

/**
 * The {@code secrets} command. {@link #main(String[])} runs it on the process's streams and settings and
 * exits with its code; {@link #run(String[], PrintStream, PrintStream, SecretsConfig)} does the same work
 * on given streams and settings and returns the code, so tests drive the real entry point.
 *
 * <p>Only {@code get} prints a value (and {@code exec} hands values to its child's environment). Every
 * other output, and every error, is built from keys, backend ids, versions and fingerprints.
 */
public final class SecretsCli {
  private static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  // the JVM puts the missing class's name in a NoClassDefFoundError, which helps find the broken jar; any
  // other Error message may quote what was being read, so only a qualified class name is ever shown
  private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][\\w$]*(?:[./][A-Za-z_$][\\w$]*)+");
  private final CommandLine cl;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final SecretsConfig config;
  private final SdkLog log;

  private SecretsCli(CommandLine cl, InputStream in, PrintStream out, PrintStream err, SecretsConfig config,
      SdkLog log) {
    this.cl = cl;
    this.in = in;
    this.out = out;
    this.err = err;
    this.config = config;
    this.log = log;
  }

  /** Runs the command on the process's streams, settings and environment, then exits with its code. */
  public static void main(String[] args) {
    // before any store client initialises SLF4J: their logs are off unless --debug (simplelogger.properties)
    if (debugRequested(args) && System.getProperty(SLF4J_LEVEL) == null) {
      System.setProperty(SLF4J_LEVEL, "warn");
    }
    int code = run(args, System.out, System.err, SecretsConfig.fromEnvironment());
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  private static boolean debugRequested(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--debug")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs the command.
   *
   * @param args the command line, without the program name
   * @param out where results go
   * @param err where warnings and errors go (one line each; a stack trace only with {@code --debug})
   * @param config the settings backends read; {@code exec}'s child still inherits this process's
   *     environment, with the resolved secrets added
   * @return the exit code, see {@link ExitCodes}
   */
  public static int run(String[] args, PrintStream out, PrintStream err, SecretsConfig config) {
    return run(args, System.in, out, err, config);
  }

  /**
   * Runs the command with {@code in} as its standard input ({@code set} reads the value from it).
   *
   * @see #run(String[], PrintStream, PrintStream, SecretsConfig)
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, SecretsConfig config) {
    CommandLine cl;
    try {
      cl = CommandLine.parse(args);
    } catch (UsageException | IllegalArgumentException e) {
      err.println("secrets: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (cl.help || cl.command == Command.HELP) {
      Help.print(out, cl.help ? cl.helpTopic : cl.args.isEmpty() ? null : Command.named(cl.args.get(0)).orElse(null));
      return ExitCodes.OK;
    }
    try (SdkLog log = new SdkLog(err, cl.debug())) {
      return new SecretsCli(cl, in, out, err, config, log).dispatch();
    } catch (RuntimeException e) {
      return fail(e, err, cl.debug());
    } catch (Error e) {
      // uncaught, the JVM would print a stack trace and exit 1, which reads as "required secrets missing"
      return failOnError(e, err, cl.debug());
    }
  }

  /**
   * Prints one line naming the {@link Error}'s type, what it usually means and what to do, never its
   * message unless that is a class name, and returns {@link ExitCodes#JVM_ERROR}.
   */
  static int failOnError(Error e, PrintStream err, boolean debug) {
    String type = e.getClass().getSimpleName();
    String hint;
    if (e instanceof OutOfMemoryError) {
      hint = "the Java heap ran out; raise it (SECRETS_CLI_JAVA_OPTS=-Xmx1g scripts/secrets ...), and report a bug "
          + "if a small input caused it";
    } else if (e instanceof StackOverflowError) {
      hint = "the thread stack ran out, most likely on deeply nested input; report a bug naming the command "
          + "(a larger -Xss only hides it)";
    } else if (e instanceof LinkageError) {
      String name = e.getMessage();
      boolean showName = e instanceof NoClassDefFoundError && name != null && name.length() <= 300
          && CLASS_NAME.matcher(name).matches();
      hint = (showName ? name + ": " : "")
          + "a class is missing or incompatible, so the class path is broken; rebuild the CLI jar "
          + "(mvn -DskipTests package -pl cli -am), or report a bug if a fresh build fails too";
    } else {
      hint = "the Java runtime failed; report a bug with the output of --debug";
    }
    err.println("secrets: " + type + ": " + hint + (debug ? "" : " (run with --debug for the stack trace)"));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.JVM_ERROR;
  }

  /** Prints one line for {@code e} (the full report for missing secrets) and returns its exit code. */
  static int fail(Throwable e, PrintStream err, boolean debug) {
    String message;
    if (e instanceof SecretsException || e instanceof UsageException || e instanceof IllegalArgumentException) {
      // the SDK's messages (and ours) are built from keys, ids and settings names, never values
      message = e.getMessage();
    } else {
      // a foreign exception's message may quote anything: show only its type
      message = "unexpected " + e.getClass().getName() + (debug ? "" : " (run with --debug for the stack trace)");
    }
    err.println("secrets: " + message);
    if (debug) {
      e.printStackTrace(err);
    }
    return ExitCodes.of(e);
  }

  private int dispatch() {
    return switch (cl.command) {
      case GET -> get();
      case LIST -> list();
      case CHECK -> check();
      case DOCTOR -> new Doctor(this).run();
      case EXEC -> new Exec(this).run();
      case VERSIONS -> versions();
      case ROLLBACK -> rollback();
      case SET -> new SetCommand(this).run();
      case ROTATE -> new RotateCommand(this).run();
      case EXPLAIN -> explain();
      case HELP -> ExitCodes.OK;
    };
  }

  // ---------------------------------------------------------------- shared with Doctor and Exec

  CommandLine commandLine() {
    return cl;
  }

  PrintStream out() {
    return out;
  }

  InputStream in() {
    return in;
  }

  /** A value's fingerprint, keyed as {@link #fingerprint(Secret)}. */
  String fingerprint(SecretValue value) {
    return value.fingerprint(fingerprintKey());
  }

  PrintStream err() {
    return err;
  }

  SdkLog log() {
    return log;
  }

  /** The settings, with {@code --schema} applied. */
  SecretsConfig config() {
    return cl.value("--schema").map(file -> config.with("SECRETS_SCHEMA", file)).orElse(config);
  }

  /** The profile the resolver will use. */
  Profile profile() {
    SecretsConfig cfg = config();
    return cl.value("--profile").map(p -> Profile.named(p, cfg)).orElseGet(() -> Profile.from(cfg));
  }

  /** A resolver over every backend found and active, as an application would build it. */
  SecretResolver open() {
    SecretResolver resolver = builder().build();
    log.follow(resolver);
    return resolver;
  }

  /** The builder behind {@link #open()}: settings, discovery, profile and required keys from the command. */
  SecretResolverBuilder builder() {
    SecretResolverBuilder builder = SecretResolver.builder().config(config()).discover();
    cl.value("--profile").ifPresent(builder::profile);
    List<String> required = cl.keys("--require");
    if (!required.isEmpty()) {
      builder.require(required.toArray(String[]::new));
    }
    return builder;
  }

  /**
   * The fingerprint shown for a secret: keyed with {@code SECRETS_FINGERPRINT_KEY} from this command's
   * settings ({@code hmac-xxxx:}, comparable across hosts sharing the key), else with this process's random
   * key ({@code local:}, comparable within this run only). Never a plain value hash.
   */
  String fingerprint(Secret secret) {
    return secret.fingerprint(fingerprintKey());
  }

  private FingerprintKey fingerprintKey() {
    return FingerprintKey.from(config());
  }

  static boolean isMissingWarning(String message) {
    return message.startsWith("Missing required secrets");
  }

  // ---------------------------------------------------------------- get

  private int get() {
    String key = cl.key();
    VersionSelector selector = cl.value("--version").map(VersionSelector::id)
        .or(() -> cl.value("--stage").map(VersionSelector::stage))
        .orElse(VersionSelector.latest());
    try (SecretResolver resolver = open()) {
      Secret secret = resolver.secret(key, selector);
      switch (cl.format()) {
        case TEXT -> out.println(secret.reveal());
        case ENV -> out.println(key + "=" + shellQuote(secret.reveal()));
        case JSON -> {
          Map<String, Object> json = describe(secret);
          json.put("value", secret.reveal());
          out.println(Json.write(json));
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code 'it'\''s'}: safe for sh, bash and zsh {@code eval}. */
  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private Map<String, Object> describe(Secret secret) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("key", secret.key());
    json.put("backend", secret.backend());
    json.put("version", secret.version().id());
    json.put("fingerprint", fingerprint(secret));
    json.put("fetchedAt", secret.fetchedAt().toString());
    return json;
  }

  // ---------------------------------------------------------------- list

  private int list() {
    boolean all = cl.flag("--all");
    try (SecretResolver resolver = open()) {
      ResolverDescription description = resolver.inspect().describe();
      Map<String, Set<String>> listed = resolver.inspect().listKeys();
      Set<String> keys = new TreeSet<>();
      listed.forEach((backend, held) -> {
        if (all || !backend.equals("env")) {
          keys.addAll(held);
        }
      });
      keys.addAll(description.required());

      Table table = new Table("KEY", "BACKEND", "VERSION", "FINGERPRINT", "ALSO IN");
      List<Object> rows = new ArrayList<>();
      int code = ExitCodes.OK;
      for (String key : keys) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", key);
        boolean required = description.required().contains(key);
        try {
          Secret s = resolver.secret(key);
          List<String> alsoIn = new ArrayList<>();
          listed.forEach((backend, held) -> {
            if (!backend.equals(s.backend()) && held.contains(key)) {
              alsoIn.add(backend);
            }
          });
          row.put("backend", s.backend());
          row.put("version", s.version().id());
          row.put("fingerprint", fingerprint(s));
          row.put("alsoIn", alsoIn);
          table.row(key, s.backend(), s.version().id(), fingerprint(s), String.join(", ", alsoIn));
        } catch (SecretNotFoundException e) {
          row.put("missing", true);
          table.row(key, "-", "-", "-", required ? "missing (required)" : "missing");
        } catch (SecretsException e) {
          row.put("error", e.getMessage());
          table.row(key, "error", "-", "-", "see below");
          err.println("secrets: " + key + ": " + e.getMessage());
          code = code == ExitCodes.OK ? ExitCodes.of(e) : code;
        }
        row.put("required", required);
        rows.add(row);
      }
      List<String> notListable = new ArrayList<>();
      for (ResolverDescription.BackendDescription b : description.backends()) {
        if (b.active() && !b.capabilities().contains(Capability.LISTING)) {
          notListable.add(b.id());
        }
      }
      if (cl.format() == Format.JSON) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profile", description.profile().name());
        json.put("secrets", rows);
        json.put("listedBy", new ArrayList<>(listed.keySet()));
        json.put("notListable", notListable);
        out.println(Json.write(json));
      } else {
        table.print(out, "");
        out.println(keys.size() + " keys from " + (listed.isEmpty() ? "no listing backend"
            : String.join(", ", listed.keySet())) + " (profile " + description.profile().name()
            + "); values hidden" + (all || !listed.containsKey("env")
            ? "" : "; environment variables only when required or also in another backend (--all for every one)")
            + ".");
        if (!notListable.isEmpty()) {
          out.println("Cannot list: " + String.join(", ", notListable) + " (ask per key: secrets explain KEY)");
        }
      }
      return code;
    }
  }

  // ---------------------------------------------------------------- check

  private int check() {
    // the resolver logs missing keys as a warning; the report below says it better
    log.suppress(SecretsCli::isMissingWarning);
    ValidationReport report;
    try (SecretResolver resolver = open()) {
      report = resolver.inspect().validate();
    } catch (MissingSecretsException e) {
      report = e.report();
    }
    if (cl.format() == Format.JSON) {
      out.println(Json.write(reportJson(report)));
    } else if (report.required().isEmpty()) {
      out.println("No required secrets declared for profile " + report.profile().name()
          + ": nothing to check (declare them with SECRETS_REQUIRED, SECRETS_SCHEMA, --require or --schema)");
    } else {
      out.println(report.valid() ? report.summary() : report.toString());
    }
    return report.valid() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
  }

  static Map<String, Object> reportJson(ValidationReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("profile", report.profile().name());
    json.put("strict", report.profile().strict());
    json.put("valid", report.valid());
    json.put("summary", report.summary());
    json.put("required", report.required());
    json.put("searched", report.searched());
    List<Object> missing = new ArrayList<>();
    for (ValidationReport.Problem p : report.problems()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", p.key());
      m.put("reasons", p.reasons());
      missing.add(m);
    }
    json.put("missing", missing);
    return json;
  }

  // ---------------------------------------------------------------- versions

  private int versions() {
    String key = cl.key();
    try (SecretResolver resolver = open()) {
      Secret served = resolver.secret(key);
      List<SecretVersion> versions = resolver.admin().versions(key);
      if (cl.format() == Format.JSON) {
        List<Object> list = new ArrayList<>();
        for (SecretVersion v : versions) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", v.id());
          m.put("createdAt", v.createdAt().map(Object::toString).orElse(null));
          m.put("stages", new ArrayList<>(new TreeSet<>(v.stages())));
          m.put("current", v.current());
          m.put("state", v.state().name().toLowerCase(java.util.Locale.ROOT));
          m.put("served", v.id().equals(served.version().id()));
          list.add(m);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("backend", served.backend());
        json.put("versions", list);
        out.println(Json.write(json));
        return ExitCodes.OK;
      }
      out.println(key + " in " + served.backend() + ": " + versions.size() + " versions, newest first");
      Table table = new Table("VERSION", "CURRENT", "SERVED", "CREATED", "STAGES", "STATE");
      for (SecretVersion v : versions) {
        table.row(v.id(), v.current() ? "yes" : "", v.id().equals(served.version().id()) ? "yes" : "",
            v.createdAt().map(Object::toString).orElse("-"), String.join(",", new TreeSet<>(v.stages())),
            v.state().name().toLowerCase(java.util.Locale.ROOT));
      }
      table.print(out, "");
      return ExitCodes.OK;
    }
  }

  // ---------------------------------------------------------------- rollback

  private int rollback() {
    String key = cl.key();
    try (SecretResolver resolver = open()) {
      Secret before = resolver.secret(key);
      if (cl.flag("--backend")) {
        Secret now = resolver.admin().rollback(key, RollbackScope.BACKEND);
        if (cl.format() == Format.JSON) {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("key", key);
          json.put("scope", "backend");
          json.put("backend", now.backend());
          json.put("before", versionJson(before));
          json.put("now", versionJson(now));
          out.println(Json.write(json));
        } else {
          out.println("Rolled back " + key + " in " + now.backend() + ": version " + now.version().id()
              + " (" + fingerprint(now) + ") is now current for every reader; it was version "
              + before.version().id() + " (" + fingerprint(before) + ").");
          out.println("Applications pick it up at their next refresh (SECRETS_CACHE_REFRESH) or restart.");
        }
        return ExitCodes.OK;
      }
      // a pin in this process dies with it: compute the target and tell the operator how to apply it
      Secret target = resolver.admin().rollback(key, RollbackScope.LOCAL);
      String pins = mergedPins(key, target.version().id());
      if (cl.format() == Format.JSON) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("scope", "local");
        json.put("backend", target.backend());
        json.put("before", versionJson(before));
        json.put("target", versionJson(target));
        json.put("pins", pins);
        out.println(Json.write(json));
      } else {
        out.println(key + ": " + before.backend() + " serves version " + before.version().id() + " ("
            + fingerprint(before) + "); the version before it is " + target.version().id() + " ("
            + fingerprint(target) + ").");
        out.println("Nothing was changed. To serve version " + target.version().id() + ":");
        out.println("  in your applications, set SECRETS_PINS=" + pins + " and restart them;");
        out.println("  in the store, for every reader: secrets rollback " + key + " --backend");
      }
      return ExitCodes.OK;
    }
  }

  private String mergedPins(String key, String versionId) {
    List<String> entries = new ArrayList<>();
    for (String entry : config().list("SECRETS_PINS")) {
      if (!entry.startsWith(key + "@")) {
        entries.add(entry);
      }
    }
    entries.add(key + "@" + versionId);
    return String.join(",", entries);
  }

  private Map<String, Object> versionJson(Secret s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", s.version().id());
    m.put("fingerprint", fingerprint(s));
    return m;
  }

  // ---------------------------------------------------------------- explain

  private int explain() {
    String key = cl.key();
    try (SecretResolver resolver = open()) {
      try {
        resolver.find(key); // explain() does not fetch: read the key first so there is something to explain
      } catch (SecretsException e) {
        // reported by explain() as the key's FAILED state, with the backend's message
      }
      SecretExplanation x = resolver.inspect().explain(key);
      ResolverDescription description = resolver.inspect().describe();
      List<String> alsoIn = new ArrayList<>();
      String listingProblem = null;
      try {
        resolver.inspect().listKeys().forEach((backend, held) -> {
          if (held.contains(key) && !x.backend().map(backend::equals).orElse(false)) {
            alsoIn.add(backend);
          }
        });
      } catch (SecretsException e) {
        listingProblem = e.getMessage();
      }
      List<String> order = new ArrayList<>();
      for (ResolverDescription.BackendDescription b : description.backends()) {
        if (b.active()) {
          order.add(b.description() + " (" + b.ordinal() + ")");
        }
      }
      if (cl.format() == Format.JSON) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", key);
        json.put("profile", description.profile().name());
        json.put("state", x.cacheState().name());
        json.put("backend", x.backend().orElse(null));
        json.put("version", x.version().map(SecretVersion::id).orElse(null));
        json.put("fingerprint", x.fingerprint(fingerprintKey()).orElse(null));
        json.put("fetchedAt", x.fetchedAt().map(Object::toString).orElse(null));
        json.put("refreshDue", x.refreshDue().map(Object::toString).orElse(null));
        json.put("pinned", x.pinnedVersion().orElse(null));
        json.put("required", description.required().contains(key));
        json.put("alsoIn", alsoIn);
        json.put("searchOrder", order);
        json.put("lastError", x.lastError().orElse(null));
        out.println(Json.write(json));
      } else {
        Table t = Table.ofColumns(2);
        t.row("state", x.cacheState().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        x.backend().ifPresent(b -> t.row("served by", description.backends().stream()
            .filter(d -> d.id().equals(b)).map(ResolverDescription.BackendDescription::description)
            .findFirst().orElse(b)));
        x.version().ifPresent(v -> t.row("version", v.id()));
        x.fingerprint(fingerprintKey()).ifPresent(f -> t.row("fingerprint", f));
        x.fetchedAt().ifPresent(f -> t.row("fetched at", f.toString()));
        x.refreshDue().ifPresent(r -> t.row("refresh due", r.toString()));
        t.row("pinned", x.pinnedVersion().map(p -> "to " + p).orElse("no"));
        t.row("required", description.required().contains(key) ? "yes" : "no");
        t.row("also held by", alsoIn.isEmpty() ? (listingProblem == null ? "no other listing backend" : "unknown")
            : String.join(", ", alsoIn));
        t.row("search order", order.isEmpty() ? "no active backend" : String.join(" > ", order));
        t.row("profile", description.profile().name() + (description.profile().strict() ? " (strict)" : ""));
        x.lastError().ifPresent(e -> t.row("last error", e));
        out.println(key);
        t.print(out, "  ");
      }
      if (listingProblem != null) {
        err.println("secrets: could not list keys: " + listingProblem);
      }
      return switch (x.cacheState()) {
        case NOT_FOUND, NOT_CACHED -> ExitCodes.NOT_FOUND;
        case FAILED -> ExitCodes.UNAVAILABLE;
        default -> ExitCodes.OK;
      };
    }
  }
}
