package org.nexusreussite.secrets.jwt;

/**
 * How an HMAC key is written in the secret's value. There is no guessing: a hex string is also valid
 * base64, and a passphrase can be too, so the ring is told which one it is and refuses a value that is not
 * in that form. RSA keys are always PKCS#8 PEM, whatever is chosen here.
 */
public enum KeyEncoding {
  /**
   * The value's UTF-8 bytes are the key, as with {@code Keys.hmacShaKeyFor(secret.getBytes(UTF_8))} in jjwt
   * and most Spring setups. The default, because it is what existing {@code JWT_SECRET_KEY} settings hold;
   * prefer {@link #BASE64} for new keys ({@code openssl rand -base64 64}), whose bytes are all random.
   */
  UTF8,
  /**
   * Base64, standard or URL-safe alphabet, padding optional; surrounding whitespace (a file's final
   * newline) is ignored.
   */
  BASE64,
  /** Hexadecimal, either case ({@code openssl rand -hex 32}); surrounding whitespace is ignored. */
  HEX
}
