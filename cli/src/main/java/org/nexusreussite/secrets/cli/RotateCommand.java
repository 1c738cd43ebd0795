package org.nexusreussite.secrets.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.RotationPolicy;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretGenerator;
import org.nexusreussite.secrets.SecretGenerators;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;

/**
 * {@code secrets rotate KEY [--generate SPEC] [--backend ID] [--dry-run] [--verify-cmd CMD]} and
 * {@code secrets rotate --due [--policy FILE]}: generates new values and writes them through the resolver,
 * printing key, backend, old -> new version and fingerprint, never a value.
 *
 * <p>Exit codes: 0 rotated (or, with {@code --dry-run}, something would be); {@link ExitCodes#NOTHING_DUE}
 * when {@code --due} found nothing due; {@link ExitCodes#CONFLICT} when another writer won;
 * {@link ExitCodes#VERIFICATION_FAILED} when {@code --verify-cmd} refused a value. With {@code --due}, every
 * due key is tried; the code is the first failure's.
 */
final class RotateCommand {
  private static final Duration DEFAULT_VERIFY_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  private final SecretsCli cli;
  private final CommandLine cl;

  RotateCommand(SecretsCli cli) {
    this.cli = cli;
    this.cl = cli.commandLine();
  }

  int run() {
    boolean due = cl.flag("--due");
    if (due == !cl.args.isEmpty()) {
      throw new UsageException("rotate takes one KEY, or --due: secrets rotate KEY --generate hex:32 | "
          + "secrets rotate --due [--policy FILE]");
    }
    if (due && (cl.value("--generate").isPresent() || cl.value("--backend").isPresent())) {
      throw new UsageException("--generate and --backend apply to one KEY; with --due each key's generator and "
          + "backend come from the policy file");
    }
    if (!due && cl.value("--policy").isPresent() && cl.value("--generate").isPresent()) {
      throw new UsageException("give --generate or --policy for one KEY, not both");
    }
    try (SecretResolver resolver = cli.open()) {
      return due ? rotateDue(resolver) : rotateOne(resolver);
    }
  }

  // ---------------------------------------------------------------- one key

  private int rotateOne(SecretResolver resolver) {
    String key = cl.key();
    String spec = cl.value("--generate").orElse(null);
    String backend = cl.value("--backend").orElse(null);
    if (spec == null) {
      RotationPolicy.Rule rule = policy(false).flatMap(p -> p.rules().stream().filter(r -> r.key().equals(key))
          .findFirst()).orElseThrow(() -> new UsageException("rotate " + key + " needs --generate SPEC (hex:32, "
              + "base64:48, base64url:32, password:32) or a rule " + key + ".generator in the policy file"));
      spec = rule.generator();
      if (backend == null) {
        backend = rule.backend();
      }
    }
    SecretGenerator generator = SecretGenerators.parse(spec);
    if (cl.flag("--dry-run")) {
      dryRun(resolver, key, generator, backend, null);
      return ExitCodes.OK;
    }
    rotate(resolver, key, generator, backend);
    return ExitCodes.OK;
  }

  private void rotate(SecretResolver resolver, String key, SecretGenerator generator, @Nullable String backend) {
    SecretValue value = generator.generate();
    SecretWrite w = write(resolver, key, value, backend);
    SetCommand.print(cli, "rotated", w, value);
  }

  private SecretWrite write(SecretResolver resolver, String key, SecretValue value, @Nullable String backend) {
    WriteOptions.Builder options = WriteOptions.builder();
    if (backend != null) {
      options.backend(backend);
    }
    verifier().ifPresent(options::verifier);
    return resolver.admin().write(key, value, options.build());
  }

  private void dryRun(SecretResolver resolver, String key, SecretGenerator generator, @Nullable String backend,
      @Nullable String why) {
    Map<String, Object> m = dryRunJson(resolver, key, generator, backend, why);
    if (cl.format() == Format.JSON) {
      cli.out().println(Json.write(m));
    } else {
      cli.out().println("would rotate " + key + " in " + m.get("backend") + ": version " + m.get("previous")
          + " -> (new), generator " + generator.describe() + (why == null ? "" : ", " + why)
          + " (dry run: nothing written)");
    }
  }

  private Map<String, Object> dryRunJson(SecretResolver resolver, String key, SecretGenerator generator,
      @Nullable String backend, @Nullable String why) {
    Secret current = resolver.secret(key);
    String target = backend != null ? backend : current.backend();
    ResolverDescription.BackendDescription d = resolver.inspect().describe().backends().stream()
        .filter(b -> b.active() && b.id().equals(target)).findFirst()
        .orElseThrow(() -> new BackendConfigurationException("config", "Backend '" + target + "' is not active "
            + "here (active: " + resolver.inspect().describe().backends().stream().filter(b -> b.active())
            .map(b -> b.id()).toList() + "); check its settings with 'secrets doctor', or SECRETS_BACKENDS"));
    if (!d.capabilities().contains(Capability.WRITE)) {
      throw UnsupportedCapabilityException.of(target, Capability.WRITE, d.description() + " is read-only; write "
          + "to a store that keeps versions (vault, aws, azure, k8s) with --backend ID, or change the source itself");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", key);
    m.put("action", "would-rotate");
    m.put("backend", target);
    m.put("previous", current.version().id());
    m.put("generator", generator.describe());
    if (why != null) {
      m.put("reason", why);
    }
    return m;
  }

  // ---------------------------------------------------------------- --due

  private int rotateDue(SecretResolver resolver) {
    RotationPolicy policy = policy(true).orElseThrow();
    List<RotationPolicy.Check> checks = policy.check(resolver, Instant.now());
    boolean json = cl.format() == Format.JSON;
    List<Object> entries = new ArrayList<>();
    int code = ExitCodes.NOTHING_DUE;
    int failures = 0;
    for (RotationPolicy.Check c : checks) {
      String key = c.rule().key();
      if (c.failure().isPresent()) {
        // its store could not be asked: reported like a failed rotation, and the other keys still go on
        int failed = failed(c.failure().get(), key, json, entries);
        if (failures++ == 0) {
          code = failed;
        }
        continue;
      }
      String why = describe(c);
      if (!c.due()) {
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("key", key);
          m.put("action", "not-due");
          m.put("reason", why);
          entries.add(m);
        } else {
          cli.err().println(key + ": not due (" + why + ")");
        }
        continue;
      }
      try {
        SecretGenerator generator = c.rule().generatorInstance();
        if (cl.flag("--dry-run")) {
          if (json) {
            entries.add(dryRunJson(resolver, key, generator, c.rule().backend(), why));
          } else {
            dryRun(resolver, key, generator, c.rule().backend(), why);
          }
        } else {
          SecretValue value = generator.generate();
          if (!json) {
            cli.err().println(key + ": due (" + why + ")");
          }
          SecretWrite w = write(resolver, key, value, c.rule().backend());
          if (json) {
            Map<String, Object> m = SetCommand.json(cli, "rotated", w, value);
            m.put("reason", why);
            entries.add(m);
          } else {
            SetCommand.print(cli, "rotated", w, value);
          }
        }
        if (code == ExitCodes.NOTHING_DUE) {
          code = ExitCodes.OK;
        }
      } catch (SecretsException | IllegalArgumentException e) {
        int failed = failed(e, key, json, entries);
        if (failures++ == 0) {
          code = failed;
        }
      }
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("policy", policy.source());
      doc.put("dryRun", cl.flag("--dry-run"));
      doc.put("exitCode", code);
      doc.put("keys", entries);
      cli.out().println(Json.write(doc));
    } else if (code == ExitCodes.NOTHING_DUE) {
      cli.err().println("nothing due: " + checks.size() + " key(s) checked in " + policy.source());
    }
    return code;
  }

  /** Reports one key's failure (stderr, and an entry in JSON) and returns its exit code. */
  private int failed(RuntimeException e, String key, boolean json, List<Object> entries) {
    int failed = SecretsCli.fail(e, cli.err(), cl.debug());
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", key);
      m.put("action", "failed");
      m.put("exitCode", failed);
      // the SDK's messages carry keys, ids and settings, never values
      m.put("error", e.getMessage());
      entries.add(m);
    }
    return failed;
  }

  private static String describe(RotationPolicy.Check c) {
    if (c.current().isEmpty()) {
      return "not found in any backend; create it with secrets set " + c.rule().key();
    }
    String max = "max-age " + days(c.rule().maxAge());
    return c.age().map(a -> "version " + c.current().get().id() + " is " + days(a) + " old, " + max)
        .orElse("version " + c.current().get().id() + " has no creation time in its store, so its age is unknown; "
            + max);
  }

  private static String days(Duration d) {
    if (d.toDays() >= 1) {
      return d.toDays() + "d" + (d.toHoursPart() > 0 ? d.toHoursPart() + "h" : "");
    }
    if (d.toHours() >= 1) {
      return d.toHours() + "h";
    }
    return Math.max(0, d.toMinutes()) + "m";
  }

  /** The policy file: {@code --policy}, else {@code ./secrets-rotation.properties} when it exists. */
  private Optional<RotationPolicy> policy(boolean required) {
    Optional<String> given = cl.value("--policy");
    Path file = Path.of(given.orElse(RotationPolicy.FILE_NAME));
    if (!Files.isRegularFile(file)) {
      if (given.isPresent() || required) {
        throw new BackendConfigurationException("policy", "Rotation policy " + file + " not found; pass "
            + "--policy FILE, or create " + RotationPolicy.FILE_NAME + " in the working directory with lines "
            + "KEY.generator=hex:32 and KEY.max-age=30d");
      }
      return Optional.empty();
    }
    return Optional.of(RotationPolicy.load(file));
  }

  private Optional<CommandVerifier> verifier() {
    return cl.value("--verify-cmd").map(cmd -> new CommandVerifier(cmd, verifyTimeout()));
  }

  private Duration verifyTimeout() {
    String text = cl.value("--verify-timeout").orElse(null);
    if (text == null) {
      return DEFAULT_VERIFY_TIMEOUT;
    }
    Matcher m = SHORT.matcher(text.strip().toLowerCase(Locale.ROOT));
    try {
      Duration d;
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        d = switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
      } else {
        d = Duration.parse(text.strip());
      }
      if (d.isNegative() || d.isZero()) {
        throw new UsageException("--verify-timeout must be positive, e.g. 60s or 5m");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new UsageException("--verify-timeout expects a duration such as 60s, 5m or PT1M");
    }
  }
}
