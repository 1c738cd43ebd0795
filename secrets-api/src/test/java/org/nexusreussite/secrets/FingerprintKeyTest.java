package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 12 finding 3: a fingerprint shown to people must not give back a low-entropy value. */
class FingerprintKeyTest {
  private static final String PIN = "042917";

  /**
   * The first 48 bits (12 hex digits) of each candidate's SHA-256, sorted: what an attacker tries against a
   * plain hash. A primitive array (8 MB), so the test fits a small heap.
   */
  private static long[] dictionary;

  private static synchronized long[] sha256OfEverySixDigitPin() throws Exception {
    if (dictionary == null) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] pin = new byte[6];
      long[] out = new long[1_000_000];
      for (int i = 0; i < out.length; i++) {
        for (int d = 5, n = i; d >= 0; d--, n /= 10) {
          pin[d] = (byte) ('0' + n % 10);
        }
        out[i] = prefix48(sha.digest(pin));
      }
      Arrays.sort(out);
      dictionary = out;
    }
    return dictionary;
  }

  private static long prefix48(byte[] digest) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (digest[i] & 0xff);
    }
    return v;
  }

  /** Whether the 12 hex digits of a fingerprint are the hash of some candidate. */
  private static boolean matchesACandidate(String hex12) throws Exception {
    return Arrays.binarySearch(sha256OfEverySixDigitPin(), Long.parseLong(hex12, 16)) >= 0;
  }

  private static String hexPart(String fingerprint) {
    return fingerprint.substring(fingerprint.indexOf(':') + 1);
  }

  @Test
  void aSixDigitPinsFingerprintCannotBeMatchedByHashingEveryCandidate() throws Exception {
    String plainHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(PIN.getBytes(StandardCharsets.UTF_8)), 0, 6);
    assertThat(matchesACandidate(plainHash)).as("the attack finds the PIN behind a plain hash").isTrue();

    String local = SecretValue.of(PIN).fingerprint(FingerprintKey.processLocal());
    String shared = SecretValue.of(PIN).fingerprint(FingerprintKey.shared("a key the operator keeps secret"));
    String byDefault = SecretValue.of(PIN).fingerprint();

    for (String fingerprint : List.of(local, shared, byDefault)) {
      assertThat(matchesACandidate(hexPart(fingerprint))).as(fingerprint).isFalse();
    }
  }

  @Test
  void aVersionIdOfContentIsNotAValueHash() throws Exception {
    String id = SecretVersion.ofContent(SecretValue.of(PIN)).id();

    assertThat(id).matches("content:[0-9a-f]{12}").isEqualTo(SecretVersion.ofContent(SecretValue.of(PIN)).id());
    assertThat(matchesACandidate(hexPart(id))).isFalse();
    assertThat(hexPart(id)).isNotEqualTo(hexPart(SecretValue.of(PIN).fingerprint()));
  }

  @Test
  void twoHostsWithTheSameKeyAgreeAndAnotherKeyDisagrees() {
    FingerprintKey hostA = FingerprintKey.from(SecretsConfig.of(Map.of("SECRETS_FINGERPRINT_KEY",
        "shared-by-the-fleet-0123456789")));
    FingerprintKey hostB = FingerprintKey.from(SecretsConfig.of(Map.of("secrets.fingerprint.key",
        "shared-by-the-fleet-0123456789")));
    FingerprintKey other = FingerprintKey.shared("another-fleet-key-0123456789");

    String a = SecretValue.of("Summer2024!").fingerprint(hostA);

    assertThat(a).matches("hmac-[0-9a-f]{4}:[0-9a-f]{12}").isEqualTo(SecretValue.of("Summer2024!").fingerprint(hostB));
    assertThat(SecretValue.of("Summer2024?").fingerprint(hostA)).isNotEqualTo(a);
    assertThat(SecretValue.of("Summer2024!").fingerprint(other)).isNotEqualTo(a)
        .as("the key id shows that the keys differ").doesNotStartWith(a.substring(0, a.indexOf(':')));
    assertThat(hostA.comparableAcrossHosts()).isTrue();
  }

  @Test
  void withoutASharedKeyTheFingerprintIsVisiblyLocal() {
    FingerprintKey key = FingerprintKey.from(SecretsConfig.empty());

    assertThat(key).isSameAs(FingerprintKey.processLocal());
    assertThat(key.comparableAcrossHosts()).isFalse();
    assertThat(SecretValue.of("hunter2").fingerprint(key)).matches("local:[0-9a-f]{12}");
    assertThat(key.toString()).contains("not comparable across hosts");
  }

  @Test
  void aShortKeyIsRefusedNamingTheSettingWithoutEchoingIt() {
    assertThatThrownBy(() -> FingerprintKey.from(SecretsConfig.of(Map.of("SECRETS_FINGERPRINT_KEY", "tooshort"))))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_FINGERPRINT_KEY").hasMessageNotContaining("tooshort");
  }

  @Test
  void aKeysToStringNeverShowsTheKey() {
    assertThat(FingerprintKey.shared("never-print-this-key-123").toString()).doesNotContain("never-print-this-key");
  }
}
