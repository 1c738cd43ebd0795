package org.nexusreussite.secrets.jwt;

import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.Locator;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.InvalidKeyException;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.security.Key;
import java.util.List;
import java.util.Objects;

/**
 * jjwt adapters of a {@link KeyRing} (jjwt 0.12 / 0.13, an optional dependency the application brings).
 *
 * <pre>{@code
 * String token = JjwtKeyRing.signWith(ring, Jwts.builder().subject("alice")).compact();
 * Claims claims = Jwts.parser().keyLocator(JjwtKeyRing.locator(ring)).build()
 *     .parseSignedClaims(token).getPayload();
 * }</pre>
 *
 * <p>jjwt asks a locator for one key, so the lookup is by the token's {@code kid}: key ids must be shared by
 * the instances that verify each other's tokens (always for stores with history; for stores without, set
 * {@code SECRETS_FINGERPRINT_KEY} on every instance, see {@link KeyRing}). Thread-safe.
 */
public final class JjwtKeyRing {
  private JjwtKeyRing() {}

  /**
   * A locator of the verification key by the token's {@code kid}. A token without {@code kid} (signed before
   * the ring was adopted, with the same secret) is given the current key.
   *
   * @return a locator whose {@code locate} throws jjwt's {@link InvalidKeyException} (a {@code JwtException})
   *     when the ring holds no key with that id: never had it, or its grace window is over
   */
  public static Locator<Key> locator(KeyRing ring) {
    Objects.requireNonNull(ring, "ring");
    return new LocatorAdapter<>() {
      @Override
      protected Key locate(JwsHeader header) {
        String kid = header.getKeyId();
        if (kid == null) {
          return ring.current().verificationKey();
        }
        List<RingKey> keys = ring.verificationKeys();
        for (RingKey key : keys) {
          if (key.keyId().equals(kid)) {
            return key.verificationKey();
          }
        }
        throw new InvalidKeyException("Key ring '" + ring.secretKey() + "' has no key with id " + printable(kid)
            + " (it holds " + keys.size() + ": the current key and those retired less than " + ring.gracePeriod()
            + " ago); a token signed with a key retired longer ago, or never in this ring, is refused");
      }
    };
  }

  /**
   * Sets the {@code kid} header and signs with the current key and the ring's algorithm.
   *
   * @return {@code builder}, for chaining to {@code compact()}
   */
  public static JwtBuilder signWith(KeyRing ring, JwtBuilder builder) {
    RingKey key = ring.current();
    @SuppressWarnings("unchecked")
    SecureDigestAlgorithm<Key, ?> alg =
        (SecureDigestAlgorithm<Key, ?>) Jwts.SIG.get().forKey(key.algorithm().name());
    return builder.header().keyId(key.keyId()).and().signWith(key.signingKey(), alg);
  }

  /** The token's kid is attacker-controlled text: quoted, bounded and printable only in messages. */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < text.length() && i < 64; i++) {
      char c = text.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.append(text.length() > 64 ? "...'" : "'").toString();
  }
}
