package org.nexusreussite.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret's value. Only {@link #reveal()} returns it; {@link #toString()} returns {@value #REDACTED}
 * so a value that ends up in a log line, an exception or a debugger's summary stays hidden.
 *
 * <p>{@link #equals(Object)} compares in constant time, so comparing a presented token with a stored
 * one does not leak its prefix through timing. Instances are immutable and thread-safe.
 *
 * <p>This is a final class rather than a record on purpose: a record's {@code toString()} prints its
 * fields.
 */
public final class SecretValue {
  /** What {@link #toString()} returns. */
  public static final String REDACTED = "[REDACTED]";


  private final String value;

  private SecretValue(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Wraps a value. */
  public static SecretValue of(String value) {
    return new SecretValue(value);
  }

  /** Wraps bytes decoded as UTF-8. */
  public static SecretValue ofUtf8(byte[] bytes) {
    return new SecretValue(new String(bytes, StandardCharsets.UTF_8));
  }

  /** The value itself. The only method that returns it. */
  public String reveal() {
    return value;
  }

  /** The value's length in chars, safe to log. */
  public int length() {
    return value.length();
  }

  /**
   * A short fingerprint two parties can compare without revealing the value: HMAC-SHA256 with
   * {@link FingerprintKey#fromEnvironment()} ({@code SECRETS_FINGERPRINT_KEY} when set, comparable across
   * hosts that share it, {@code hmac-xxxx:} prefix; else a per-process random key, {@code local:} prefix,
   * comparable only within this process). Never a plain hash: a low-entropy value cannot be recovered by
   * hashing candidates.
   *
   * @throws BackendConfigurationException when {@code SECRETS_FINGERPRINT_KEY} is too short
   */
  public String fingerprint() {
    return FingerprintKey.fromEnvironment().fingerprint(value);
  }

  /** The fingerprint of the value with {@code key}, e.g. a key given in code or read from a configuration. */
  public String fingerprint(FingerprintKey key) {
    return key.fingerprint(value);
  }

  /** Constant-time comparison of the two values. */
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof SecretValue that)) {
      return false;
    }
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), that.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    // deliberately coarse: hashing the content would give an oracle on the value
    return value.length();
  }

  /** Always {@value #REDACTED}. */
  @Override
  public String toString() {
    return REDACTED;
  }
}
