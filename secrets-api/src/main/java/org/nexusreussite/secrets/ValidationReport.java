package org.nexusreussite.secrets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link SecretResolver#validate()}: every required key that did not resolve, each with the
 * reason per backend ({@code not found}, {@code permission denied}, {@code unreachable}). Immutable.
 */
public final class ValidationReport {
  /** Hints printed under a failed report; the same lines as SECURITY.md's troubleshooting section. */
  public static final List<String> HINTS = List.of(
      "Ensure all required environment variables are set",
      "Verify Vault connectivity and authentication (VAULT_ADDR, VAULT_TOKEN)",
      "Check secret paths and permissions",
      "Run 'secrets doctor' to see which backends are active and why");

  /**
   * One required key that did not resolve.
   *
   * @param key the key
   * @param reasons backend id -> why it did not serve the key, in search order
   */
  public record Problem(String key, Map<String, String> reasons) {
    /** Copies the reasons, keeping their order. */
    public Problem {
      reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
    }
  }

  private final Profile profile;
  private final List<String> required;
  private final List<String> searched;
  private final List<Problem> problems;

  /** Creates a report. */
  public ValidationReport(Profile profile, List<String> required, List<String> searched, List<Problem> problems) {
    this.profile = profile;
    this.required = List.copyOf(required);
    this.searched = List.copyOf(searched);
    this.problems = List.copyOf(problems);
  }

  /** True when every required key resolved. */
  public boolean valid() {
    return problems.isEmpty();
  }

  /** The profile validated. */
  public Profile profile() {
    return profile;
  }

  /** Every required key, resolved or not. */
  public List<String> required() {
    return required;
  }

  /** The backends searched, as described by them. */
  public List<String> searched() {
    return searched;
  }

  /** The keys that did not resolve, with reasons. */
  public List<Problem> problems() {
    return problems;
  }

  /** The missing keys in order. */
  public List<String> missingKeys() {
    List<String> keys = new ArrayList<>();
    for (Problem p : problems) {
      keys.add(p.key());
    }
    return keys;
  }

  /**
   * Throws when something is missing.
   *
   * @throws MissingSecretsException listing every missing key at once
   */
  public void throwIfInvalid() {
    if (!valid()) {
      throw new MissingSecretsException(this);
    }
  }

  /** The one-line head: {@code Missing required secrets in production: A, B (searched: env, vault)}. */
  public String summary() {
    if (valid()) {
      return "All " + required.size() + " required secrets resolved in " + profile.name()
          + " (searched: " + String.join(", ", searched) + ")";
    }
    return "Missing required secrets in " + profile.name() + ": " + String.join(", ", missingKeys())
        + " (searched: " + (searched.isEmpty() ? "no active backend" : String.join(", ", searched)) + ")";
  }

  /** The summary, a line per missing key with its reasons, then the hints. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(summary());
    if (!valid()) {
      for (Problem p : problems) {
        sb.append(System.lineSeparator()).append("  ").append(p.key()).append(": ");
        List<String> parts = new ArrayList<>();
        p.reasons().forEach((backend, reason) -> parts.add(backend + ": " + reason));
        sb.append(parts.isEmpty() ? "no active backend" : String.join("; ", parts));
      }
      for (String hint : HINTS) {
        sb.append(System.lineSeparator()).append("- ").append(hint);
      }
    }
    return sb.toString();
  }
}
