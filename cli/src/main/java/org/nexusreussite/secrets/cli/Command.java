package org.nexusreussite.secrets.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The subcommands, with what each accepts and its help text. */
enum Command {
  GET("KEY [--version ID | --stage NAME]", 1, 1, "print a secret's value (the only command that does)",
      """
      Prints the value of KEY from the first active backend that holds it, followed by a newline.
      --format json adds key, backend, version and fingerprint; --format env prints KEY='value',
      quoted for sh, so that eval "$(secrets get --format env KEY)" sets a shell variable.
      Not found: a message on stderr and exit code 2.""",
      opt("--version", "ID", "a version by the store's id (Vault 3, an AWS version id, ...)"),
      opt("--stage", "NAME", "a version by stage label (AWSPREVIOUS, AWSCURRENT, ...)")),
  LIST("", 0, 0, "every key the backends can list, with backend, version and fingerprint",
      """
      Lists the keys held by each backend that can list (env, .env files, Vault, ...), one row per key
      with the backend that serves it, its version and fingerprint, and the lower backends that also
      hold it (shadowed). Values are never shown. Environment variables are listed only when another
      backend also holds them or they are required, unless --all is given.""",
      opt("--all", null, "also list every environment variable")),
  CHECK("", 0, 0, "check that every required secret resolves in this profile",
      """
      Resolves every required key (SECRETS_REQUIRED, SECRETS_SCHEMA, --require, --schema) and prints
      one report of every missing key with the reason per backend. Exit 0 with a one-line summary
      when all resolve, exit 1 otherwise."""),
  DOCTOR("", 0, 0, "providers found, why each is active or not, probes and warnings",
      """
      Shows every backend provider found on the class path, active or inactive with the reason,
      probes each active backend for connectivity and authentication, checks required secrets, and
      warns about .env files readable by others, http:// endpoints in a strict profile and settings
      whose backend jar is missing. Exit 0 when nothing failed (warnings alone do not fail)."""),
  EXEC("[--only K1,K2] -- CMD [ARGS...]", 0, 0, "run CMD with secrets added to its environment",
      """
      Resolves secrets and runs CMD with them added to its environment; nothing is written to disk.
      Without --only, the keys are the required keys plus every key a backend other than env can
      list. CMD's exit code is returned; when CMD is killed by signal N the code is 128+N, and a
      SIGTERM or SIGINT sent to this command is passed on to CMD. 127: CMD not found; 126: CMD
      could not be run.""",
      opt("--only", "K1,K2", "only these keys; each must resolve or CMD is not started")),
  VERSIONS("KEY", 1, 1, "the versions of a key in the backend that serves it, newest first",
      """
      Lists the versions of KEY kept by the backend that serves it (Vault KV v2, AWS, Azure), newest
      first, with creation time, stages, state and which one is current. Exit 3 when that backend
      keeps no history."""),
  ROLLBACK("KEY [--backend]", 1, 1, "serve the version before the current one",
      """
      Without --backend: finds the version before the one served and prints the SECRETS_PINS setting
      that makes applications serve it (a pin, read at start; nothing in the store changes).
      With --backend: makes that version current in the store itself, for every reader (Vault writes
      the old data back as a new version, AWS moves AWSCURRENT, Azure sets the old value again).""",
      opt("--backend", null, "roll back in the store, for every reader")),
  SET("KEY", 1, 1, "write a new version of KEY from standard input (never from an argument)",
      """
      Reads the value from standard input (a pipe, or typed without echo at a terminal), removes one
      trailing newline, and writes it as a new version of KEY in the backend that serves it (or
      --backend ID; a key no backend holds is created there, else in the first writable backend).
      Vault KV v2, AWS, Azure and Kubernetes Secret objects can write; env, .env and mounted files
      cannot (exit 3). The write carries the version read, so a concurrent writer wins and this one
      exits 4 without overwriting. Prints key, backend, old -> new version and fingerprint.""",
      opt("--backend", "ID", "write to this backend (vault, aws, azure, k8s) instead of the serving one"),
      opt("--expect-version", "ID", "fail with exit 4 unless ID is the current version"),
      opt("--allow-empty", null, "accept an empty value (refused by default)")),
  ROTATE("KEY | --due", 0, 1, "write a newly generated value for KEY, or for every due key",
      """
      Generates a new value (--generate, or the key's generator in the policy file) and writes it
      as a new version of KEY, as set does. With --due, reads the policy file (--policy, default
      ./secrets-rotation.properties: KEY.generator, KEY.max-age, KEY.backend) and rotates exactly
      the keys whose current version, by the store's creation time, is older than their max-age.
      --verify-cmd runs CMD (with sh -c) with the new value in its environment only, as the
      variable KEY; if it fails, the new version is not promoted (AWS: left AWSPENDING) or the
      previous value is written back (other stores), and the exit code is 5. --dry-run shows what
      would be rotated and changes nothing. Prints key, backend, old -> new version and
      fingerprint; never a value.""",
      opt("--generate", "SPEC", "hex:N, base64:N, base64url:N (N random bytes), password:N[:ulds], or a plug-in"),
      opt("--backend", "ID", "write to this backend instead of the serving one"),
      opt("--dry-run", null, "show what would be rotated; change nothing"),
      opt("--due", null, "rotate every key of the policy file that is older than its max-age"),
      opt("--policy", "FILE", "the rotation policy (default ./secrets-rotation.properties)"),
      opt("--verify-cmd", "CMD", "verify the new value before promotion; CMD gets it as $KEY"),
      opt("--verify-timeout", "DURATION", "how long --verify-cmd may run (default 60s)")),
  EXPLAIN("KEY", 1, 1, "where a key's value comes from, without the value",
      """
      Shows the backend that serves KEY, its version, fingerprint and fetch time, the cache state, the
      pin if any, the other backends that also hold it and the search order. Exit 2 when not found."""),
  HELP("[COMMAND]", 0, 1, "show help for the command or a subcommand", "Shows the help of COMMAND.");

  /** An option: a flag when {@code valueName} is null. */
  record Option(String name, @Nullable String valueName, String help) {
    boolean takesValue() {
      return valueName != null;
    }

    String synopsis() {
      return valueName == null ? name : name + " " + valueName;
    }
  }

  static final List<Option> GLOBAL = List.of(
      opt("--profile", "NAME", "profile: development, testing, staging, production (default SECRETS_PROFILE)"),
      opt("--format", "FORMAT", "output: text (default), json, or env (get only)"),
      opt("--require", "K1,K2", "keys that must resolve, added to SECRETS_REQUIRED"),
      opt("--schema", "FILE", "a .env.example-style file whose keys are required (sets SECRETS_SCHEMA)"),
      opt("--debug", null, "print SDK debug logs and stack traces on errors"),
      opt("--help", null, "show help (also -h)"));

  final String synopsis;
  final int minArgs;
  final int maxArgs;
  final String summary;
  final String details;
  final Map<String, Option> options = new LinkedHashMap<>();

  Command(String synopsis, int minArgs, int maxArgs, String summary, String details, Option... opts) {
    this.synopsis = synopsis;
    this.minArgs = minArgs;
    this.maxArgs = maxArgs;
    this.summary = summary;
    this.details = details;
    for (Option o : opts) {
      options.put(o.name(), o);
    }
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Command> named(String name) {
    for (Command c : values()) {
      if (c.label().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  static Optional<Option> global(String name) {
    return GLOBAL.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  private static Option opt(String name, @Nullable String valueName, String help) {
    return new Option(name, valueName, help);
  }
}
