package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;
import static org.nexusreussite.secrets.jwt.RingFixture.claims;
import static org.nexusreussite.secrets.jwt.RingFixture.signJjwt;
import static org.nexusreussite.secrets.jwt.RingFixture.verifyJjwt;
import static org.nexusreussite.secrets.jwt.RingFixture.verifyNimbus;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nexusreussite.secrets.SecretResolver;

class KeyMaterialTest {
  private static final byte[] RAW = new byte[64];

  static {
    for (int i = 0; i < RAW.length; i++) {
      RAW[i] = (byte) (i * 37 + 11);
    }
  }

  private final RingFixture f = new RingFixture();

  @ParameterizedTest
  @EnumSource(value = KeyEncoding.class, names = {"BASE64", "HEX"})
  void encodedKeysDecodeToTheirBytes(KeyEncoding encoding) throws Exception {
    String written = switch (encoding) {
      case BASE64 -> Base64.getEncoder().encodeToString(RAW) + "\n";
      case HEX -> HexFormat.of().withUpperCase().formatHex(RAW);
      default -> throw new IllegalArgumentException();
    };
    f.store.put(KEY, written);
    try (SecretResolver resolver = f.resolver();
        KeyRing ring = f.ring(resolver).algorithm(JwtAlgorithm.HS512).encoding(encoding).build()) {
      SignedJWT jwt = NimbusKeyRing.sign(ring, claims("x"));
      assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS512");
      assertThat(jwt.verify(new MACVerifier(RAW))).isTrue();
    }
  }

  @Test
  void urlSafeBase64WithoutPaddingIsAccepted() throws Exception {
    f.store.put(KEY, Base64.getUrlEncoder().withoutPadding().encodeToString(RAW));
    try (SecretResolver resolver = f.resolver();
        KeyRing ring = f.ring(resolver).encoding(KeyEncoding.BASE64).build()) {
      assertThat(NimbusKeyRing.sign(ring, claims("x")).verify(new MACVerifier(RAW))).isTrue();
    }
  }

  @Test
  void aKeyTooShortForTheAlgorithmIsRefusedWithWhatToDo() {
    f.store.put(KEY, "short-key-of-31-bytes-012345678");
    try (SecretResolver resolver = f.resolver()) {
      assertThatThrownBy(() -> f.ring(resolver).build()).isInstanceOf(KeyRingException.class)
          .hasMessageContaining(KEY).hasMessageContaining("248 bits").hasMessageContaining("HS256 needs at least 256")
          .hasMessageContaining("openssl rand").hasMessageNotContaining("short-key");
      assertThatThrownBy(() -> f.ring(resolver).algorithm(JwtAlgorithm.HS384).build())
          .hasMessageContaining("HS384 needs at least 384");
    }
  }

  @Test
  void aValueNotInTheChosenEncodingIsRefused() {
    f.store.put(KEY, "not*base64*at*all-0123456789abcdef0123456789abcdef");
    try (SecretResolver resolver = f.resolver()) {
      assertThatThrownBy(() -> f.ring(resolver).encoding(KeyEncoding.BASE64).build())
          .isInstanceOf(KeyRingException.class).hasMessageContaining("is not base64").hasMessageNotContaining("not*");
      assertThatThrownBy(() -> f.ring(resolver).encoding(KeyEncoding.HEX).build())
          .isInstanceOf(KeyRingException.class).hasMessageContaining("is not hexadecimal");
    }
  }

  @Test
  void anUnusableKeyAfterARotationIsLoggedAndThePreviousKeyKeepsSigning() {
    f.store.put(KEY, RingFixture.hmacKey("good"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      String good = ring.current().keyId();
      f.rotate("too-short");
      assertThat(ring.current().keyId()).isEqualTo(good);
      f.rotate(RingFixture.hmacKey("fixed"));
      assertThat(ring.current().keyId()).isNotEqualTo(good);
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).contains(good).hasSize(2);
    }
  }

  @Test
  void rsaPkcs8KeysSignWithThePrivateHalfAndVerifyWithThePublicOne() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair v1 = generator.generateKeyPair();
    f.store.put(KEY, pem(v1));
    try (SecretResolver resolver = f.resolver();
        KeyRing ring = f.ring(resolver).algorithm(JwtAlgorithm.RS256).build()) {
      assertThat(ring.current().verificationKey()).isEqualTo(v1.getPublic());
      SignedJWT nimbus = NimbusKeyRing.sign(ring, claims("rsa"));
      String jjwt = signJjwt(ring, "rsa-jjwt");
      assertThat(nimbus.verify(new RSASSAVerifier((RSAPublicKey) v1.getPublic()))).isTrue();

      f.rotate(pem(generator.generateKeyPair()));

      assertThat(verifyNimbus(ring, nimbus.serialize()).getSubject()).isEqualTo("rsa");
      assertThat(verifyJjwt(ring, jjwt).getSubject()).isEqualTo("rsa-jjwt");
      assertThat(NimbusKeyRing.jwk(ring.current()).toPublicJWK().isPrivate()).isFalse();
    }
  }

  @Test
  void aPkcs1OrNonPemValueIsRefusedWithTheConversionCommand() {
    f.store.put(KEY, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    try (SecretResolver resolver = f.resolver()) {
      assertThatThrownBy(() -> f.ring(resolver).algorithm(JwtAlgorithm.RS256).build())
          .isInstanceOf(KeyRingException.class).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
          .hasMessageNotContaining("MIIB");
    }
  }

  static String pem(KeyPair pair) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }
}
