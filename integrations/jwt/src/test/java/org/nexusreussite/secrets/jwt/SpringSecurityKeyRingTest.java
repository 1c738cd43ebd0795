package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;
import static org.nexusreussite.secrets.jwt.RingFixture.hmacKey;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** The README's Spring Security beans, exactly: a decoder and an encoder over the ring's nimbus sources. */
class SpringSecurityKeyRingTest {
  private final RingFixture f = new RingFixture();

  static JwtDecoder hmacDecoder(KeyRing ring) {
    return NimbusJwtDecoder.withJwkSource(NimbusKeyRing.verificationSource(ring))
        .jwtProcessorCustomizer(p -> p.setJWSKeySelector(
            new JWSVerificationKeySelector<>(JWSAlgorithm.HS256, NimbusKeyRing.verificationSource(ring))))
        .build();
  }

  static JwtEncoder encoder(KeyRing ring) {
    return new NimbusJwtEncoder(NimbusKeyRing.signingSource(ring));
  }

  private static Jwt issue(JwtEncoder encoder, JwsHeader header, String subject) {
    JwtClaimsSet claims = JwtClaimsSet.builder().subject(subject).issuedAt(Instant.now())
        .expiresAt(Instant.now().plus(Duration.ofDays(1))).build();
    return encoder.encode(JwtEncoderParameters.from(header, claims));
  }

  @Test
  void springsDecoderAcceptsATokenSignedBeforeARotationWithinTheGraceWindowOnly() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      JwtEncoder encoder = encoder(ring);
      JwtDecoder decoder = hmacDecoder(ring);
      Jwt old = issue(encoder, JwsHeader.with(MacAlgorithm.HS256).build(), "alice");
      assertThat(old.getHeaders()).containsEntry("kid", ring.current().keyId());

      f.rotate(hmacKey("v2"));
      Jwt fresh = issue(encoder, JwsHeader.with(MacAlgorithm.HS256).build(), "bob");

      assertThat(fresh.getHeaders()).containsEntry("kid", ring.current().keyId());
      assertThat(decoder.decode(fresh.getTokenValue()).getSubject()).isEqualTo("bob");
      assertThat(decoder.decode(old.getTokenValue()).getSubject()).isEqualTo("alice");
      f.clock.advance(KeyRing.DEFAULT_GRACE);
      assertThatThrownBy(() -> decoder.decode(old.getTokenValue())).isInstanceOf(JwtException.class);
    }
  }

  @Test
  void rsaKeysWorkWithTheJwkSourceBuilderDirectly() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    f.store.put(KEY, KeyMaterialTest.pem(generator.generateKeyPair()));
    try (SecretResolver resolver = f.resolver();
        KeyRing ring = f.ring(resolver).algorithm(JwtAlgorithm.RS256).build()) {
      JwtDecoder decoder = NimbusJwtDecoder.withJwkSource(NimbusKeyRing.verificationSource(ring))
          .jwsAlgorithm(SignatureAlgorithm.RS256).build();
      Jwt old = issue(encoder(ring), JwsHeader.with(SignatureAlgorithm.RS256).build(), "carol");

      f.rotate(KeyMaterialTest.pem(generator.generateKeyPair()));

      assertThat(decoder.decode(old.getTokenValue()).getSubject()).isEqualTo("carol");
    }
  }
}
