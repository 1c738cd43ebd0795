package org.nexusreussite.secrets.examples.quickstart;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.ValidationReport;

/**
 * The quickstart: resolves the application's secrets and prints, for each, the backend that served it and
 * its fingerprint, never the value. This code names no backend: adding a backend jar to the class path
 * (Maven profile {@code -Pvault}, {@code -Paws}, ...) and setting its variables changes where the secrets
 * come from, without a change here.
 *
 * <p>In a strict profile ({@code SECRETS_PROFILE=production}) a missing required secret stops it at start
 * with the SDK's report of every missing key; exit code 1.
 */
public final class QuickstartApp {
  /** Secrets the application cannot start without. */
  static final List<String> REQUIRED = List.of("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL");

  /** Optional secrets and the default used when no backend holds them (empty: the feature is off). */
  static final Map<String, String> OPTIONAL = optional();

  private QuickstartApp() {}

  private static Map<String, String> optional() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("OPENAI_API_KEY", "");
    m.put("MAIL_USERNAME", "");
    m.put("MAIL_PASSWORD", "");
    m.put("REDIS_URL", "redis://localhost:6379/0");
    m.put("SENTRY_DSN", "");
    return m;
  }

  /** Runs the example and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err));
  }

  static int run(PrintStream out, PrintStream err) {
    // discover(): every backend jar on the class path that is active here (env is always there)
    try (SecretResolver secrets = SecretResolver.builder()
        .discover()
        .require(REQUIRED.toArray(String[]::new))
        .build()) {
      ValidationReport report = secrets.inspect().validate();
      if (!report.valid()) {
        // outside a strict profile the resolver starts anyway; this application still refuses to
        err.println(report);
        return 1;
      }
      ResolverDescription description = secrets.inspect().describe();
      List<String> searched = new ArrayList<>();
      for (ResolverDescription.BackendDescription b : description.backends()) {
        if (b.active()) {
          searched.add(b.id());
        }
      }
      out.println("Quickstart: profile " + description.profile().name() + ", backends in search order: "
          + String.join(", ", searched));
      out.println();
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"SECRET", "", "SOURCE", "FINGERPRINT"});
      for (String key : REQUIRED) {
        Secret s = secrets.secret(key);
        rows.add(new String[] {key, "required", s.backend(), s.fingerprint()});
      }
      for (Map.Entry<String, String> e : OPTIONAL.entrySet()) {
        String key = e.getKey();
        // resolve(key, default) is all an application needs; find + secret also tell where it came from
        String value = secrets.resolve(key, e.getValue());
        Optional<Secret> served = secrets.find(key).map(v -> secrets.secret(key));
        rows.add(served
            .map(s -> new String[] {key, "optional", s.backend(), s.fingerprint()})
            .orElse(new String[] {key, "optional", "default",
                value.isEmpty() ? "(not set: feature off)" : SecretValue.of(value).fingerprint()}));
      }
      print(out, rows);
      out.println();
      out.println("Values are never printed. Fingerprints are keyed: set the same SECRETS_FINGERPRINT_KEY on hosts "
          + "that compare them (local: ones compare within this run only), or run: scripts/secrets explain KEY");
      return 0;
    } catch (MissingSecretsException e) {
      // the SDK's report: every missing key, the reason per backend, and what to check
      err.println(e.getMessage());
      return 1;
    } catch (SecretsException e) {
      err.println("quickstart: " + e.getMessage());
      return 2;
    }
  }

  private static void print(PrintStream out, List<String[]> rows) {
    int[] width = new int[4];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder sb = new StringBuilder("  ");
      for (int i = 0; i < row.length; i++) {
        sb.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
