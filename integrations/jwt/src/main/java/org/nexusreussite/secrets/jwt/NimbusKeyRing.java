package org.nexusreussite.secrets.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * nimbus-jose-jwt adapters of a {@link KeyRing} (nimbus-jose-jwt 10.x, an optional dependency the application
 * brings).
 *
 * <pre>{@code
 * SignedJWT token = NimbusKeyRing.sign(ring, claims);                    // current key, its kid in the header
 * var processor = new DefaultJWTProcessor<SecurityContext>();
 * processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
 *     NimbusKeyRing.verificationSource(ring)));                            // every key of the ring
 * JwtDecoder decoder = NimbusJwtDecoder.withJwkSource(...)                 // Spring Security: see README
 * }</pre>
 *
 * <p>Thread-safe. The sources read the ring on every call, so a rotation is seen by the next token without
 * rebuilding anything. The {@code JWK}s they return carry key material and print it in {@code toString()}
 * (nimbus's behaviour): never log them.
 */
public final class NimbusKeyRing {
  private NimbusKeyRing() {}

  /**
   * A source for verification: every key of {@link KeyRing#verificationKeys()} that matches the selector's
   * key type and algorithm, the one with the token's {@code kid} first. The {@code kid} narrows the order,
   * not the set: a token whose key id this instance does not know (key ids local to another process, see
   * {@link KeyRing}) is still checked against every key the ring trusts, and fails only when none verifies.
   */
  public static <C extends SecurityContext> JWKSource<C> verificationSource(KeyRing ring) {
    Objects.requireNonNull(ring, "ring");
    return (selector, context) -> {
      JWKMatcher matcher = selector.getMatcher();
      Set<String> wanted = matcher.getKeyIDs();
      JWKMatcher anyId = new JWKMatcher.Builder(matcher).keyIDs((Set<String>) null).build();
      List<JWK> first = new ArrayList<>();
      List<JWK> rest = new ArrayList<>();
      for (RingKey key : ring.verificationKeys()) {
        JWK jwk = jwk(key);
        if (!anyId.matches(jwk)) {
          continue;
        }
        (wanted != null && wanted.contains(key.keyId()) ? first : rest).add(jwk);
      }
      first.addAll(rest);
      return first;
    };
  }

  /**
   * A source for signing: only {@link KeyRing#current()}, when it matches the selector. What Spring
   * Security's {@code NimbusJwtEncoder} takes, which refuses a source that offers several keys.
   */
  public static <C extends SecurityContext> JWKSource<C> signingSource(KeyRing ring) {
    Objects.requireNonNull(ring, "ring");
    return (selector, context) -> {
      JWK jwk = jwk(ring.current());
      return selector.getMatcher().matches(jwk) ? List.of(jwk) : List.of();
    };
  }

  /**
   * Signs {@code claims} with the current key: header {@code alg} of the ring, {@code kid} of the key.
   *
   * @throws KeyRingException when nimbus refuses the key (its message names no key material)
   */
  public static SignedJWT sign(KeyRing ring, JWTClaimsSet claims) {
    RingKey key = ring.current();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(key.algorithm().name())).keyID(key.keyId()).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer(key));
    } catch (JOSEException e) {
      throw new KeyRingException("Key ring '" + ring.secretKey() + "': nimbus could not sign with key id "
          + key.keyId() + " (" + e.getClass().getSimpleName() + ")", e);
    }
    return jwt;
  }

  /**
   * The nimbus JWK of one ring key, with its key id, algorithm and use {@code sig}. Carries key material.
   */
  public static JWK jwk(RingKey key) {
    JWSAlgorithm alg = JWSAlgorithm.parse(key.algorithm().name());
    if (key.algorithm().hmac()) {
      return new OctetSequenceKey.Builder((SecretKey) key.signingKey()).keyID(key.keyId()).algorithm(alg)
          .keyUse(KeyUse.SIGNATURE).build();
    }
    return new RSAKey.Builder((RSAPublicKey) key.verificationKey()).privateKey((PrivateKey) key.signingKey())
        .keyID(key.keyId()).algorithm(alg).keyUse(KeyUse.SIGNATURE).build();
  }

  private static JWSSigner signer(RingKey key) throws JOSEException {
    if (key.algorithm().hmac()) {
      return new MACSigner((SecretKey) key.signingKey());
    }
    return new RSASSASigner((PrivateKey) key.signingKey());
  }
}
