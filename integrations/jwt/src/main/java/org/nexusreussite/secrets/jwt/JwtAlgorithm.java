package org.nexusreussite.secrets.jwt;

/**
 * The JWS algorithms a {@link KeyRing} signs with: HMAC over a shared secret, or RSA with a PKCS#8 private key.
 * Each names its JOSE name ({@code HS256}), its JCA name and the shortest key it accepts (RFC 7518 section
 * 3.2: an HMAC key at least as long as the hash; RSA keys of 2048 bits or more).
 */
public enum JwtAlgorithm {
  /** HMAC with SHA-256; keys of 32 bytes or more. */
  HS256("HmacSHA256", 256),
  /** HMAC with SHA-384; keys of 48 bytes or more. */
  HS384("HmacSHA384", 384),
  /** HMAC with SHA-512; keys of 64 bytes or more. */
  HS512("HmacSHA512", 512),
  /** RSASSA-PKCS1-v1_5 with SHA-256; a PKCS#8 PEM RSA private key of 2048 bits or more. */
  RS256("SHA256withRSA", 2048),
  /** RSASSA-PKCS1-v1_5 with SHA-384. */
  RS384("SHA384withRSA", 2048),
  /** RSASSA-PKCS1-v1_5 with SHA-512. */
  RS512("SHA512withRSA", 2048);

  private final String jcaName;
  private final int minKeyBits;

  JwtAlgorithm(String jcaName, int minKeyBits) {
    this.jcaName = jcaName;
    this.minKeyBits = minKeyBits;
  }

  /** The JCA algorithm name, e.g. {@code HmacSHA256} or {@code SHA256withRSA}. */
  public String jcaName() {
    return jcaName;
  }

  /** The shortest key this algorithm accepts, in bits. */
  public int minKeyBits() {
    return minKeyBits;
  }

  /** True for the HS algorithms, whose signing and verification key is the same secret. */
  public boolean hmac() {
    return name().startsWith("HS");
  }
}
