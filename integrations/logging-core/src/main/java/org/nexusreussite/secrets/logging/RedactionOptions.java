package org.nexusreussite.secrets.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * Settings of a {@link SecretRedactor}. Immutable; build with {@link #builder()} or read them from the
 * environment with {@link #fromConfig(SecretsConfig)}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code SECRETS_LOG_REDACTION_MIN_LENGTH}</td><td>8</td><td>shorter values are not matched</td></tr>
 *   <tr><td>{@code SECRETS_LOG_REDACTION_GRACE}</td><td>1h</td><td>how long a previous value stays redacted</td></tr>
 *   <tr><td>{@code SECRETS_LOG_REDACTION_MAX_VALUES}</td><td>1024</td><td>values tracked, current and previous</td></tr>
 *   <tr><td>{@code SECRETS_LOG_REDACTION_MAX_CHARS}</td><td>32768</td><td>characters of all tracked values together</td></tr>
 * </table>
 *
 * <p>Why 8: a value of a few characters ({@code true}, {@code 5432}, {@code admin}, {@code prod}) occurs
 * in ordinary log text all the time, so redacting it would garble logs and, worse, point at the value by
 * where markers appear; from 8 characters a generated secret practically never occurs by chance. The
 * floor is 4. Why one hour of grace: connections and tokens opened before a rotation keep the old
 * credential for a while (HikariCP recycles connections within 30 minutes by default), and may still be
 * logged.
 */
public final class RedactionOptions {
  /** Default minimum length of a matched value. */
  public static final int DEFAULT_MIN_LENGTH = 8;
  /** Default grace window for previous values. */
  public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
  /** Default bound on tracked values, current and previous. */
  public static final int DEFAULT_MAX_VALUES = 1024;
  /** Default bound on the characters of all tracked values together (it bounds the matcher's memory). */
  public static final int DEFAULT_MAX_CHARS = 32 * 1024;

  private final int minLength;
  private final Duration grace;
  private final int maxValues;
  private final int maxChars;
  private final Clock clock;

  private RedactionOptions(Builder b) {
    this.minLength = b.minLength;
    this.grace = b.grace;
    this.maxValues = b.maxValues;
    this.maxChars = b.maxChars;
    this.clock = b.clock;
  }

  /** The defaults. */
  public static RedactionOptions defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options from {@code SECRETS_LOG_REDACTION_*} settings (system properties, environment,
   * {@code secrets.properties}), defaults for those not set.
   *
   * @throws BackendConfigurationException naming the setting when one is malformed or out of range
   */
  public static RedactionOptions fromConfig(SecretsConfig config) {
    Builder b = builder();
    try {
      b.minLength(config.integer("SECRETS_LOG_REDACTION_MIN_LENGTH", DEFAULT_MIN_LENGTH));
    } catch (IllegalArgumentException e) {
      throw BackendConfigurationException.setting("SECRETS_LOG_REDACTION_MIN_LENGTH", String.valueOf(e.getMessage()));
    }
    try {
      b.grace(config.duration("SECRETS_LOG_REDACTION_GRACE", DEFAULT_GRACE));
    } catch (IllegalArgumentException e) {
      throw BackendConfigurationException.setting("SECRETS_LOG_REDACTION_GRACE", String.valueOf(e.getMessage()));
    }
    try {
      b.maxValues(config.integer("SECRETS_LOG_REDACTION_MAX_VALUES", DEFAULT_MAX_VALUES));
    } catch (IllegalArgumentException e) {
      throw BackendConfigurationException.setting("SECRETS_LOG_REDACTION_MAX_VALUES", String.valueOf(e.getMessage()));
    }
    try {
      b.maxChars(config.integer("SECRETS_LOG_REDACTION_MAX_CHARS", DEFAULT_MAX_CHARS));
    } catch (IllegalArgumentException e) {
      throw BackendConfigurationException.setting("SECRETS_LOG_REDACTION_MAX_CHARS", String.valueOf(e.getMessage()));
    }
    return b.build();
  }

  /** Values shorter than this are not matched. */
  public int minLength() {
    return minLength;
  }

  /** How long a previous value stays redacted after its key moved on. */
  public Duration grace() {
    return grace;
  }

  /** At most this many values are tracked, current and previous together. */
  public int maxValues() {
    return maxValues;
  }

  /** At most this many characters of values are tracked together. */
  public int maxChars() {
    return maxChars;
  }

  /** The clock that ends grace windows. */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "RedactionOptions[minLength=" + minLength + ", grace=" + grace + ", maxValues=" + maxValues
        + ", maxChars=" + maxChars + "]";
  }

  /** Builds {@link RedactionOptions}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private int minLength = DEFAULT_MIN_LENGTH;
    private Duration grace = DEFAULT_GRACE;
    private int maxValues = DEFAULT_MAX_VALUES;
    private int maxChars = DEFAULT_MAX_CHARS;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Values shorter than this are not matched.
     *
     * @throws IllegalArgumentException when below 4 or above 1024
     */
    public Builder minLength(int length) {
      if (length < 4 || length > 1024) {
        throw new IllegalArgumentException("expected a minimum length from 4 to 1024, got " + length);
      }
      this.minLength = length;
      return this;
    }

    /**
     * How long a previous value stays redacted; zero drops it at once.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder grace(Duration window) {
      if (Objects.requireNonNull(window, "window").isNegative()) {
        throw new IllegalArgumentException("expected a grace window of zero or more, got " + window);
      }
      this.grace = window;
      return this;
    }

    /**
     * At most this many tracked values.
     *
     * @throws IllegalArgumentException when below 1 or above 65536
     */
    public Builder maxValues(int count) {
      if (count < 1 || count > 65_536) {
        throw new IllegalArgumentException("expected from 1 to 65536 values, got " + count);
      }
      this.maxValues = count;
      return this;
    }

    /**
     * At most this many characters of tracked values; the matcher's table grows with it.
     *
     * @throws IllegalArgumentException when below 1024 or above 1048576
     */
    public Builder maxChars(int count) {
      if (count < 1024 || count > 1 << 20) {
        throw new IllegalArgumentException("expected from 1024 to 1048576 characters, got " + count);
      }
      this.maxChars = count;
      return this;
    }

    /** The clock that ends grace windows (tests pass a manual one). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The options. */
    public RedactionOptions build() {
      return new RedactionOptions(this);
    }
  }
}
