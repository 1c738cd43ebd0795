package org.nexusreussite.secrets.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.nexusreussite.secrets.Secret;

/**
 * Turns a secret's value into key objects. Every failure names the key, version and backend and says what
 * to change; none quotes the value, and JDK parser exceptions are reported by type only, as their messages are
 * not ours to vouch for.
 */
final class KeyMaterial {
  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  private KeyMaterial() {}

  /** The signing and verification keys of {@code secret}: [signing, verification]. */
  static java.security.Key[] decode(Secret secret, JwtAlgorithm algorithm, KeyEncoding encoding) {
    String value = secret.value().reveal();
    if (algorithm.hmac()) {
      byte[] bytes = hmacBytes(secret, value, encoding);
      if (bytes.length * 8 < algorithm.minKeyBits()) {
        throw new KeyRingException(where(secret) + " is " + bytes.length * 8 + " bits as " + encoding + ", and "
            + algorithm + " needs at least " + algorithm.minKeyBits() + " bits (RFC 7518 section 3.2): store a longer"
            + " random key (e.g. openssl rand -base64 " + algorithm.minKeyBits() / 8 + " with KeyEncoding.BASE64)");
      }
      SecretKeySpec key = new SecretKeySpec(bytes, algorithm.jcaName());
      return new java.security.Key[] {key, key};
    }
    return rsa(secret, value, algorithm);
  }

  private static byte[] hmacBytes(Secret secret, String value, KeyEncoding encoding) {
    switch (encoding) {
      case UTF8:
        return value.getBytes(StandardCharsets.UTF_8);
      case BASE64:
        String b64 = value.strip();
        try {
          boolean urlSafe = b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0;
          return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(b64);
        } catch (IllegalArgumentException e) {
          // the JDK's message quotes the offending character: not repeated here
          throw new KeyRingException(where(secret) + " is not base64 (KeyEncoding.BASE64): store the key as base64,"
              + " or choose KeyEncoding.UTF8 or HEX to match how it is written");
        }
      case HEX:
        try {
          return HexFormat.of().parseHex(value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new KeyRingException(where(secret) + " is not hexadecimal (KeyEncoding.HEX): store the key as hex,"
              + " or choose KeyEncoding.UTF8 or BASE64 to match how it is written");
        }
      default:
        throw new IllegalStateException("unknown encoding " + encoding);
    }
  }

  private static java.security.Key[] rsa(Secret secret, String value, JwtAlgorithm algorithm) {
    String pem = value.strip();
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      String hint = pem.contains("BEGIN RSA PRIVATE KEY")
          ? "it is PKCS#1 (BEGIN RSA PRIVATE KEY): convert it with openssl pkcs8 -topk8 -nocrypt"
          : "expected a PKCS#8 PEM block (-----BEGIN PRIVATE KEY-----), e.g. from openssl genpkey -algorithm RSA";
      throw new KeyRingException(where(secret) + " is not an unencrypted PKCS#8 PEM private key for " + algorithm
          + ": " + hint);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new KeyRingException(where(secret) + ": the PEM block is not valid base64");
    }
    PrivateKey privateKey;
    PublicKey publicKey;
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
      if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
        throw new KeyRingException(where(secret) + " is an RSA key without its CRT parameters, so its public half"
            + " cannot be derived: store a key from openssl genpkey -algorithm RSA");
      }
      publicKey = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
      int bits = crt.getModulus().bitLength();
      if (bits < algorithm.minKeyBits()) {
        throw new KeyRingException(where(secret) + " is a " + bits + "-bit RSA key; " + algorithm + " needs at least "
            + algorithm.minKeyBits() + " bits: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072");
      }
    } catch (GeneralSecurityException e) {
      throw new KeyRingException(where(secret) + " is not an RSA private key (" + e.getClass().getSimpleName()
          + "; EC keys are not supported): store a PKCS#8 RSA key, e.g. from openssl genpkey -algorithm RSA");
    }
    return new java.security.Key[] {privateKey, publicKey};
  }

  static String where(Secret secret) {
    return "Key ring secret '" + secret.key() + "' (version " + secret.version().id() + " from " + secret.backend()
        + ")";
  }
}
