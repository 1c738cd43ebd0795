package org.nexusreussite.secrets;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key of value fingerprints: a fingerprint is the first 12 hex digits of HMAC-SHA256 over the value with
 * this key, so nobody who holds a fingerprint but not the key can test guesses against it, not even for a
 * 6-digit PIN.
 *
 * <ul>
 *   <li>{@link #shared(String)}, or the setting {@code SECRETS_FINGERPRINT_KEY}: a key the operator gives
 *       every host that should compare; fingerprints look like {@code hmac-3f2a:0123456789ab}, where
 *       {@code 3f2a} identifies the key (not the value), so two hosts see at once whether they use the same
 *       key.
 *   <li>{@link #processLocal()}, the default without the setting: a random key made once per process;
 *       fingerprints look like {@code local:0123456789ab} and are only comparable within one process (one
 *       {@code secrets list} run, one application instance), never across hosts.
 * </ul>
 *
 * <p>Never a plain hash: an unsalted hash of a low-entropy value is reversed by hashing candidates. Immutable
 * and thread-safe; {@code toString()} never shows key material.
 */
public final class FingerprintKey {
  /** The setting that holds the shared key. */
  public static final String SETTING = "SECRETS_FINGERPRINT_KEY";

  /** Shortest shared key accepted: a short key could itself be guessed. */
  public static final int MIN_KEY_LENGTH = 16;

  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final FingerprintKey PROCESS_LOCAL = random("local");

  private final byte[] key;
  private final String prefix;
  private final boolean shared;

  private FingerprintKey(byte[] key, String prefix, boolean shared) {
    this.key = key;
    this.prefix = prefix;
    this.shared = shared;
  }

  /**
   * A key shared by the hosts that should compare fingerprints.
   *
   * @throws BackendConfigurationException when the key is shorter than {@value #MIN_KEY_LENGTH} characters
   */
  public static FingerprintKey shared(String key) {
    if (key == null || key.strip().length() < MIN_KEY_LENGTH) {
      throw BackendConfigurationException.setting(SETTING, "expected a key of at least " + MIN_KEY_LENGTH
          + " characters shared by the hosts that compare fingerprints (e.g. from: openssl rand -hex 32)");
    }
    byte[] bytes = key.strip().getBytes(StandardCharsets.UTF_8);
    String id = hex(hmac(bytes, "nexus-secrets fingerprint key id".getBytes(StandardCharsets.UTF_8)), 2);
    return new FingerprintKey(bytes, "hmac-" + id, true);
  }

  /** The key of this process: random, made once, fingerprints labelled {@code local:}. */
  public static FingerprintKey processLocal() {
    return PROCESS_LOCAL;
  }

  /**
   * {@code SECRETS_FINGERPRINT_KEY} from {@code config} when set, else {@link #processLocal()}.
   *
   * @throws BackendConfigurationException when the setting is too short
   */
  public static FingerprintKey from(SecretsConfig config) {
    return config.get(SETTING).map(FingerprintKey::shared).orElse(PROCESS_LOCAL);
  }

  /**
   * The key {@link SecretValue#fingerprint()} uses: {@code SECRETS_FINGERPRINT_KEY} from system properties,
   * environment or {@code secrets.properties}, read once; else {@link #processLocal()}.
   *
   * @throws BackendConfigurationException when the setting is too short
   */
  public static FingerprintKey fromEnvironment() {
    return Default.KEY;
  }

  /** A fresh random key; internal uses such as content version ids, never shown as a comparable value. */
  static FingerprintKey random(String prefix) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new FingerprintKey(bytes, prefix, false);
  }

  /** Whether fingerprints made with this key can be compared with another host's (a shared key). */
  public boolean comparableAcrossHosts() {
    return shared;
  }

  /** The fingerprint of {@code value}: {@code <label>:<12 hex digits>}. */
  public String fingerprint(String value) {
    return prefix + ":" + hex(hmac(key, value.getBytes(StandardCharsets.UTF_8)), 6);
  }

  /** Says which kind of key, never the key. */
  @Override
  public String toString() {
    return "FingerprintKey[" + (shared ? "shared, " + prefix : "process-local, not comparable across hosts") + "]";
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }

  private static String hex(byte[] bytes, int count) {
    char[] out = new char[2 * count];
    for (int i = 0; i < count; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Read on first use, so a process that never fingerprints never reads the setting. */
  private static final class Default {
    static final FingerprintKey KEY = from(SecretsConfig.fromEnvironment());
  }
}
