package org.nexusreussite.secrets.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import java.time.Duration;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** A manual clock and scheduler, an in-memory store with history, and resolvers over them. */
final class RingFixture {
  static final String KEY = "JWT_SIGNING_KEY";
  static final Duration REFRESH = Duration.ofMinutes(1);

  final ManualClock clock = new ManualClock();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final InMemorySecretBackend store = new InMemorySecretBackend("vault", clock);

  /** A resolver over the store; a second one stands for another instance or a restart. */
  SecretResolver resolver() {
    return SecretResolver.builder().config(SecretsConfig.empty()).backend(store, 300).clock(clock)
        .scheduler(scheduler).refreshInterval(REFRESH).build();
  }

  KeyRing.Builder ring(SecretResolver resolver) {
    return KeyRing.builder(resolver, KEY).clock(clock);
  }

  /** Writes a new version and lets the resolver pick it up (listeners fired on return). */
  void rotate(String value) {
    store.put(KEY, value);
    scheduler.advance(REFRESH);
  }

  static String hmacKey(String label) {
    return label + "-0123456789abcdef0123456789abcdef"; // >= 32 bytes: HS256 as UTF-8
  }

  static JWTClaimsSet claims(String subject) {
    return new JWTClaimsSet.Builder().subject(subject).build();
  }

  /** Verifies with nimbus's processor over the ring's verification source. */
  static JWTClaimsSet verifyNimbus(KeyRing ring, String token) throws Exception {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
        JWSAlgorithm.parse(ring.algorithm().name()), NimbusKeyRing.verificationSource(ring)));
    return processor.process(token, null);
  }

  /** Verifies with jjwt's parser over the ring's locator. */
  static Claims verifyJjwt(KeyRing ring, String token) {
    return Jwts.parser().keyLocator(JjwtKeyRing.locator(ring)).build().parseSignedClaims(token).getPayload();
  }

  static String signJjwt(KeyRing ring, String subject) {
    return JjwtKeyRing.signWith(ring, Jwts.builder().subject(subject)).compact();
  }
}
