package org.nexusreussite.secrets.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.ResolverPlan;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.ValidationReport;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.TaskScheduler;

/**
 * {@code secrets doctor}: the troubleshooting guide as a command. It lists providers from the resolver's
 * own assembly plan ({@link org.nexusreussite.secrets.SecretResolverBuilder#plan()}: same discovery,
 * activation, ordinals, {@code SECRETS_BACKENDS} and order), so the list holds even when the resolver
 * cannot be built; builds the resolver an application would build to check required secrets; then
 * probes each active backend on its own ({@link SecretBackend#health()} and a read of a key that does
 * not exist, which a store answers with "not found" only when it can be reached and the credentials are
 * accepted), so one failing store does not hide the state of the others; and collects warnings.
 */
final class Doctor {
  /** Read by every probe; no store holds it, so only "not found" or an error can come back. */
  static final String PROBE_KEY = "SECRETS_DOCTOR_PROBE";

  /** Settings holding remote endpoints, which must be https:// in a strict profile. */
  private static final List<String> ENDPOINT_SETTINGS = List.of("VAULT_ADDR", "AWS_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AZURE_KEYVAULT_URL", "SECRETS_AZURE_VAULT_URL", "KUBERNETES_MASTER");

  private record Provider(String id, int ordinal, boolean active, String reason, String description, String source,
      Set<Capability> capabilities) {}

  /** @param capabilities what the probed backend reports after its read (it may learn them then), or null */
  private record Probe(String id, BackendHealth.Status status, String detail, long millis,
      @Nullable Set<Capability> capabilities) {}

  private final SecretsCli cli;
  private final PrintStream out;

  Doctor(SecretsCli cli) {
    this.cli = cli;
    this.out = cli.out();
  }

  int run() {
    cli.log().collectOnly();
    SecretsConfig config = cli.config();
    Profile profile = cli.profile();
    List<Provider> providers = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    ValidationReport report = null;
    SecretsException fatal = null;
    ResolverPlan plan = null;
    try {
      // the resolver's own assembly code decides what is listed and in which order: doctor cannot disagree
      plan = cli.builder().plan();
    } catch (SecretsException e) {
      fatal = e;
    }

    Map<String, ResolverDescription.BackendDescription> built = new LinkedHashMap<>();
    if (plan != null) {
      try (SecretResolver resolver = cli.open()) {
        ResolverDescription d = resolver.inspect().describe();
        d.backends().forEach(b -> built.put(b.id(), b));
        warnings.addAll(d.warnings());
        report = resolver.inspect().validate();
      } catch (MissingSecretsException e) {
        report = e.report();
      } catch (SecretsException e) {
        fatal = e;
      }
      for (ResolverPlan.PlannedBackend p : plan.backends()) {
        ResolverDescription.BackendDescription b = built.get(p.id());
        providers.add(new Provider(p.id(), p.ordinal(), p.active(), p.reason(),
            b != null && b.active() ? b.description() : p.id(), p.source(),
            b != null ? b.capabilities() : Set.of()));
      }
      for (String w : plan.warnings()) {
        if (!warnings.contains(w)) {
          warnings.add(w);
        }
      }
    }

    List<Probe> probes = new ArrayList<>();
    if (plan != null) {
      ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "secrets-doctor");
        t.setDaemon(true);
        return t;
      });
      TaskScheduler scheduler = (task, delay) -> {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      };
      try {
        for (ResolverPlan.PlannedBackend p : plan.backends()) {
          if (p.active()) {
            probes.add(probe(p, scheduler));
          }
        }
      } finally {
        executor.shutdownNow();
      }
    }

    // a backend that has answered a read knows more (a Vault path on a KV v1 mount has no versions)
    for (Probe probe : probes) {
      Set<Capability> learned = probe.capabilities();
      if (learned != null) {
        providers.replaceAll(p -> p.id().equals(probe.id())
            ? new Provider(p.id(), p.ordinal(), p.active(), p.reason(), p.description(), p.source(), learned)
            : p);
      }
    }

    for (String w : cli.log().warnings()) {
      if (!SecretsCli.isMissingWarning(w) && !warnings.contains(w)) {
        warnings.add(w);
      }
    }
    warnings.addAll(ownChecks(config, profile, providers, warnings));

    int code = ExitCodes.OK;
    if (fatal != null) {
      code = ExitCodes.of(fatal);
    } else if (report != null && !report.valid()) {
      code = ExitCodes.CHECK_FAILED;
    } else if (probes.stream().anyMatch(p -> p.status() == BackendHealth.Status.DOWN)) {
      code = ExitCodes.UNAVAILABLE;
    }
    if (cli.commandLine().format() == Format.JSON) {
      printJson(profile, providers, probes, report, warnings, fatal, code);
    } else {
      printText(profile, providers, probes, report, warnings, fatal, code);
    }
    return code;
  }

  /** Creates one active backend on its own, as the resolver would, and asks it. */
  private Probe probe(ResolverPlan.PlannedBackend planned, TaskScheduler scheduler) {
    long start = System.nanoTime();
    try (SecretBackend backend = planned.create(scheduler)) {
      BackendHealth health = backend.health();
      if (health.status() != BackendHealth.Status.UP) {
        return new Probe(planned.id(), health.status(), health.detail(), millis(start), null);
      }
      List<String> details = new ArrayList<>();
      if (!health.detail().isBlank() && !health.detail().equals("no probe")) {
        details.add(health.detail());
      }
      backend.fetch(PROBE_KEY, VersionSelector.latest());
      details.add("read answered");
      // a backend whose own probe already counts its keys is not counted twice
      if (backend.capabilities().contains(Capability.LISTING) && !health.detail().contains(" keys")) {
        details.add(backend.keys().size() + " keys");
      }
      return new Probe(planned.id(), BackendHealth.Status.UP, String.join("; ", details), millis(start),
          backend.capabilities());
    } catch (SecretsException e) {
      return new Probe(planned.id(), BackendHealth.Status.DOWN,
          Objects.toString(e.getMessage(), e.getClass().getSimpleName()), millis(start), null);
    } catch (RuntimeException e) {
      if (cli.commandLine().debug()) {
        e.printStackTrace(cli.err());
      }
      return new Probe(planned.id(), BackendHealth.Status.DOWN, "failed with " + e.getClass().getName()
          + (cli.commandLine().debug() ? "" : " (run with --debug for the stack trace)"), millis(start), null);
    }
  }

  private static long millis(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  /** Warnings the SDK cannot give itself: .env files readable by others, http:// in a strict profile. */
  private static List<String> ownChecks(SecretsConfig config, Profile profile, List<Provider> providers,
      List<String> already) {
    List<String> out = new ArrayList<>();
    Path dir = Path.of(config.get("SECRETS_DOTENV_DIR", System.getProperty("user.dir")));
    boolean dotenvJar = providers.stream().anyMatch(p -> p.id().equals("dotenv"));
    boolean dotenvActive = providers.stream().anyMatch(p -> p.id().equals("dotenv") && p.active());
    Set<String> names = new LinkedHashSet<>(List.of(".env", ".env." + profile.name(), ".env.local",
        ".env." + profile.name() + ".local"));
    for (String name : names) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        continue;
      }
      try {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        boolean open = perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        boolean reported = already.stream().anyMatch(w -> w.contains(file.getFileName().toString())
            && w.toLowerCase(Locale.ROOT).contains("readable"));
        if (open && !reported) {
          out.add(file + " is readable by group or others: run chmod 600 " + file);
        }
      } catch (UnsupportedOperationException | IOException e) {
        // not a POSIX file system: nothing to check
      }
      if (profile.strict() && dotenvJar && !dotenvActive) {
        out.add(file + " exists but .env files are not read in strict profile '" + profile.name()
            + "' (SECRETS_DOTENV_IN_PRODUCTION=true reads them)");
      }
    }
    if (profile.strict()) {
      for (String setting : ENDPOINT_SETTINGS) {
        config.get(setting).filter(v -> v.regionMatches(true, 0, "http://", 0, 7)).ifPresent(v ->
            out.add(setting + " uses http:// in strict profile '" + profile.name()
                + "': use https://; the backend refuses plain HTTP in production"));
      }
    }
    return out;
  }

  private void printText(Profile profile, List<Provider> providers, List<Probe> probes,
      @Nullable ValidationReport report, List<String> warnings, @Nullable SecretsException fatal, int code) {
    out.println("secrets doctor: profile " + profile.name() + (profile.strict() ? " (strict)" : " (not strict)"));
    if (fatal != null) {
      out.println();
      out.println("The resolver cannot be built, so applications would fail to start:");
      out.println("  " + fatal.getMessage());
    }
    out.println();
    out.println("Providers found (+ active, in search order; - inactive):");
    Table t = Table.ofColumns(5);
    for (Provider p : providers) {
      t.row((p.active() ? "+ " : "- ") + p.id(), String.valueOf(p.ordinal()), p.active() ? "active" : "inactive",
          p.active() && !p.description().equals(p.id()) ? p.description() + ": " + p.reason() : p.reason(),
          "(" + p.source() + ")");
    }
    t.print(out, "  ");
    if (providers.isEmpty()) {
      out.println("  none: the class path holds no secrets backend");
    }
    out.println();
    out.println("Probes (each active backend on its own):");
    Table pt = Table.ofColumns(4);
    for (Probe p : probes) {
      pt.row(p.id(), p.status().name(), p.millis() + " ms", p.detail());
    }
    pt.print(out, "  ");
    if (probes.isEmpty()) {
      out.println("  no active backend to probe");
    }
    out.println();
    out.println("Required secrets:");
    if (report == null) {
      out.println("  not checked (see the error above)");
    } else if (report.required().isEmpty()) {
      out.println("  none declared (SECRETS_REQUIRED, SECRETS_SCHEMA, --require, --schema)");
    } else {
      for (String line : report.toString().split("\\R")) {
        out.println("  " + line);
      }
    }
    out.println();
    out.println("Warnings:");
    if (warnings.isEmpty()) {
      out.println("  none");
    }
    for (String w : warnings) {
      out.println("  - " + w);
    }
    out.println();
    out.println(code == ExitCodes.OK ? "Result: OK" : "Result: problems found (exit " + code + ")");
  }

  private void printJson(Profile profile, List<Provider> providers, List<Probe> probes,
      @Nullable ValidationReport report, List<String> warnings, @Nullable SecretsException fatal, int code) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("profile", profile.name());
    json.put("strict", profile.strict());
    json.put("error", fatal == null ? null : fatal.getMessage());
    List<Object> ps = new ArrayList<>();
    for (Provider p : providers) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("ordinal", p.ordinal());
      m.put("active", p.active());
      m.put("reason", p.reason());
      m.put("description", p.description());
      m.put("source", p.source());
      m.put("capabilities", p.capabilities().stream().map(c -> c.name().toLowerCase(Locale.ROOT)).sorted().toList());
      ps.add(m);
    }
    json.put("providers", ps);
    List<Object> pr = new ArrayList<>();
    for (Probe p : probes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("status", p.status().name());
      m.put("millis", p.millis());
      m.put("detail", p.detail());
      pr.add(m);
    }
    json.put("probes", pr);
    json.put("required", report == null ? null : SecretsCli.reportJson(report));
    json.put("warnings", warnings);
    json.put("ok", code == ExitCodes.OK);
    json.put("exitCode", code);
    out.println(Json.write(json));
  }
}
