package org.nexusreussite.secrets.cli;

import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendException;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VerificationFailedException;
import org.nexusreussite.secrets.WriteConflictException;

/**
 * The exit codes of the {@code secrets} command. The numbers from 64 up follow BSD {@code sysexits.h},
 * so scripts and supervisors that know those codes read them right. {@code exec} returns its child's
 * code instead, with 126 and 127 when the child could not be started, as shells do.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;
  /** {@code check} (or {@code doctor}) found required secrets missing. */
  public static final int CHECK_FAILED = 1;
  /** The key, or the version asked for, does not exist in any active backend. */
  public static final int NOT_FOUND = 2;
  /** The backend serving the key cannot do what was asked (versions of an env var, rollback of a file). */
  public static final int UNSUPPORTED = 3;
  /** {@code set}/{@code rotate}: another writer made a new version first; nothing was overwritten. */
  public static final int CONFLICT = 4;
  /** {@code rotate --verify-cmd}: the new value failed verification; not promoted, or rolled back. */
  public static final int VERIFICATION_FAILED = 5;
  /** {@code rotate --due}: no key of the policy is due; nothing was written. */
  public static final int NOTHING_DUE = 6;
  /** The command line is wrong: unknown command or option, missing argument ({@code EX_USAGE}). */
  public static final int USAGE = 64;
  /** A backend could not be reached or failed ({@code EX_UNAVAILABLE}). */
  public static final int UNAVAILABLE = 69;
  /** An unexpected error inside the command; run with {@code --debug} ({@code EX_SOFTWARE}). */
  public static final int SOFTWARE = 70;
  /**
   * The Java runtime failed under the command: out of memory, stack overflow, a class missing from the class
   * path, or another {@link Error} ({@code EX_OSERR}). Distinct from {@link #CHECK_FAILED}, the code the JVM
   * gives an uncaught error by itself, so that a crash never reads as "required secrets missing".
   */
  public static final int JVM_ERROR = 71;
  /** A backend refused the credentials ({@code EX_NOPERM}). */
  public static final int DENIED = 77;
  /** A setting or a secret source ({@code .env} line) is wrong ({@code EX_CONFIG}). */
  public static final int CONFIG = 78;
  /** {@code exec}: the command was found but could not be run. */
  public static final int CANNOT_EXECUTE = 126;
  /** {@code exec}: the command was not found. */
  public static final int COMMAND_NOT_FOUND = 127;

  private ExitCodes() {}

  /** The exit code for a failure. */
  static int of(Throwable error) {
    if (error instanceof Error) {
      return JVM_ERROR;
    }
    if (error instanceof UsageException || error instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (error instanceof MissingSecretsException) {
      return CHECK_FAILED;
    }
    if (error instanceof SecretNotFoundException) {
      return NOT_FOUND;
    }
    if (error instanceof WriteConflictException) {
      return CONFLICT;
    }
    if (error instanceof VerificationFailedException) {
      return VERIFICATION_FAILED;
    }
    if (error instanceof UnsupportedCapabilityException) {
      return UNSUPPORTED;
    }
    if (error instanceof BackendConfigurationException || error instanceof InvalidSecretSourceException) {
      return CONFIG;
    }
    if (error instanceof BackendAuthenticationException) {
      return DENIED;
    }
    if (error instanceof BackendException) {
      return UNAVAILABLE;
    }
    return SOFTWARE;
  }
}
