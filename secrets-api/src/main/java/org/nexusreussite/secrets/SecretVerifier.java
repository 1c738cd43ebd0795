package org.nexusreussite.secrets;

/**
 * Checks a new value before it becomes the one every reader gets, e.g. logs in to a database with a new
 * password, or runs {@code secrets rotate --verify-cmd}. Called once per write, on the writing thread.
 *
 * <p>Stores with version stages (AWS) call it while the new version is {@code AWSPENDING}: on failure it is
 * never promoted. Other stores already hold the new version when it is called: on failure the resolver writes
 * the previous value back (check-and-set on the new version) and reports it.
 */
@FunctionalInterface
public interface SecretVerifier {

  /**
   * Verifies {@code candidate}, the value written for {@code key}. Returns normally when it is good.
   *
   * @throws RuntimeException any exception means "not good"; its message is not shown (it may quote the
   *     value): throw {@link VerificationFailedException#reason(String)} to give a reason without a value
   */
  void verify(String key, SecretValue candidate);
}
