package org.nexusreussite.secrets;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SecretVerifier} refused a new value. {@link #outcome()} says what became of it: never promoted
 * (AWS: left without {@code AWSCURRENT}), rolled back (the previous value written back as a new version), or
 * left current because the roll-back failed too (act at once: the message says how).
 *
 * <p>A verifier throws {@link #reason(String)} to explain itself; the reason must not contain the value.
 */
public final class VerificationFailedException extends SecretsException {
  private static final long serialVersionUID = 1L;

  /** What happened to the refused version. */
  public enum Outcome {
    /** Not made current: the previous version still serves every reader. */
    NOT_PROMOTED,
    /** Made current, then replaced by the previous value written back as a new version. */
    ROLLED_BACK,
    /** Made current and could not be rolled back: the refused value serves readers now. */
    LEFT_CURRENT,
    /** Not a write yet: the verifier's own refusal, before the resolver reports it. */
    REFUSED
  }

  private final String key;
  private final @Nullable String backendId;
  private final @Nullable String versionId;
  private final Outcome outcome;

  private VerificationFailedException(String message, String key, @Nullable String backendId,
      @Nullable String versionId, Outcome outcome, @Nullable Throwable cause) {
    super(message, cause);
    this.key = key;
    this.backendId = backendId;
    this.versionId = versionId;
    this.outcome = outcome;
  }

  /** A verifier's refusal with a reason that names no value, e.g. "login refused by db:5432". */
  public static VerificationFailedException reason(String reason) {
    return new VerificationFailedException(reason, "", null, null, Outcome.REFUSED, null);
  }

  /**
   * The resolver's report of a refusal.
   *
   * @param why what the verifier said (a {@link #reason(String)}, else the exception's type only)
   * @param cause the verifier's exception, kept for stack traces only when it is ours (its message is safe)
   */
  public static VerificationFailedException of(String key, String backendId, String versionId, Outcome outcome,
      String why, @Nullable Throwable cause) {
    String what = switch (outcome) {
      case NOT_PROMOTED -> "version " + versionId + " was written as pending and not promoted; readers still get "
          + "the previous version";
      case ROLLED_BACK -> "version " + versionId + " was rolled back: the previous value was written back as a "
          + "new version";
      case LEFT_CURRENT -> "version " + versionId + " is CURRENT and could not be rolled back; check what is "
          + "current with 'secrets explain " + key + "', then roll it back ('secrets rollback " + key + " --backend' "
          + "where the store keeps versions, else 'secrets set " + key + "' with the previous value)";
      case REFUSED -> "nothing was changed";
    };
    return new VerificationFailedException("Verification of the new value of '" + key + "' in " + backendId
        + " failed (" + why + "): " + what + ". Check the verifier (--verify-cmd) and the systems it logs in to, "
        + "then rotate again", key, backendId, versionId, outcome, cause);
  }

  /** The key; empty for a verifier's own {@link #reason(String)}. */
  public String key() {
    return key;
  }

  /** The backend written to, when reported by the resolver. */
  public Optional<String> backendId() {
    return Optional.ofNullable(backendId);
  }

  /** The refused version's id, when reported by the resolver. */
  public Optional<String> versionId() {
    return Optional.ofNullable(versionId);
  }

  /** What became of the refused version. */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * What to say about a verifier's exception: a {@link #reason(String)}'s text, else its type only (a foreign
   * message may quote the value being verified).
   */
  public static String why(Throwable refused) {
    if (refused instanceof VerificationFailedException v && v.outcome == Outcome.REFUSED) {
      return String.valueOf(v.getMessage());
    }
    return "verifier threw " + refused.getClass().getName();
  }

  /** The cause to keep: a {@link #reason(String)} (whose message is safe), else none. */
  public static @Nullable Throwable safeCause(Throwable refused) {
    return refused instanceof VerificationFailedException ? refused : null;
  }
}
