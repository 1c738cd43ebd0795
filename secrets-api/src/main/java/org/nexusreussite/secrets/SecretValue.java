package org.nexusreussite.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

  private static final char[] HEX = "0123456789abcdef".toCharArray();

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
   * A short, non-reversible fingerprint: the first 12 hex digits of SHA-256 over the value. Two hosts
   * can compare fingerprints to see whether they hold the same value without revealing it.
   */
  public String fingerprint() {
    return fingerprintOf(value);
  }

  static String fingerprintOf(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      char[] out = new char[12];
      for (int i = 0; i < 6; i++) {
        out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
        out[2 * i + 1] = HEX[digest[i] & 0xf];
      }
      return "sha256:" + new String(out);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
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
