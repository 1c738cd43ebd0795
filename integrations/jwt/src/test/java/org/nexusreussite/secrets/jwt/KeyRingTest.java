package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;
import static org.nexusreussite.secrets.jwt.RingFixture.claims;
import static org.nexusreussite.secrets.jwt.RingFixture.hmacKey;
import static org.nexusreussite.secrets.jwt.RingFixture.signJjwt;
import static org.nexusreussite.secrets.jwt.RingFixture.verifyJjwt;
import static org.nexusreussite.secrets.jwt.RingFixture.verifyNimbus;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.SignedJWT;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.security.InvalidKeyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;

class KeyRingTest {
  private final RingFixture f = new RingFixture();

  @Test
  void aTokenSignedBeforeARotationVerifiesWithinTheGraceWindowAndFailsAfterIt() throws Exception {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      String token = NimbusKeyRing.sign(ring, claims("alice")).serialize();

      f.rotate(hmacKey("v2"));
      f.clock.advance(Duration.ofMinutes(58));   // 59 min after the rotation: still inside the 1 h window

      assertThat(verifyNimbus(ring, token).getSubject()).isEqualTo("alice");
      f.clock.advance(Duration.ofMinutes(1));    // exactly 1 h after: outside
      assertThatThrownBy(() -> verifyNimbus(ring, token)).isInstanceOf(BadJOSEException.class);
    }
  }

  @Test
  void aNewVersionOfTheSameKeyKeepsItsKeyIdOnEveryInstanceAndTakesNoSlot() {
    // a store that versions a whole source (a Vault path, an AWS JSON secret) makes a new version of this key
    // when another field is written: same key material, so the same key id, here and on a later instance
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      RingKey first = ring.current();
      for (int i = 0; i < 10; i++) {
        f.clock.advance(Duration.ofMinutes(1));
        f.rotate(hmacKey("v1"));
      }
      assertThat(ring.current().versionId()).isEqualTo("11");
      assertThat(ring.current().keyId()).isEqualTo(first.keyId());
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).containsExactly(first.keyId());
      f.rotate(hmacKey("v2"));
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).hasSize(2).endsWith(first.keyId());
      try (SecretResolver later = f.resolver(); KeyRing started = f.ring(later).build()) {
        assertThat(started.current().keyId()).isEqualTo(ring.current().keyId());
        assertThat(started.verificationKeys()).extracting(RingKey::keyId)
            .as("restored after a restart: the value's key id, once").containsExactly(ring.current().keyId(),
                first.keyId());
      }
    }
  }

  @Test
  void theCurrentKeySignsAfterARotationAndTheRingKeepsThePreviousOne() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      RingKey first = ring.current();
      java.time.Instant rotatedAt = f.clock.instant();

      f.rotate(hmacKey("v2"));

      RingKey second = ring.current();
      assertThat(second.keyId()).isNotEqualTo(first.keyId());
      assertThat(second.versionId()).isEqualTo("2");
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).containsExactly(second.keyId(), first.keyId());
      RingKey retired = ring.verificationKeys().get(1);
      assertThat(retired.current()).isFalse();
      // retired when the resolver saw the change (the store pushes it: at once)
      assertThat(retired.retiredAt()).hasValueSatisfying(t -> assertThat(t).isBetween(rotatedAt, f.clock.instant()));
      assertThat(retired.validUntil()).isEqualTo(retired.retiredAt().map(t -> t.plus(KeyRing.DEFAULT_GRACE)));
    }
  }

  @Test
  void jjwtTokensVerifyByKeyIdWithinTheGraceWindowAndFailAfterIt() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver();
        KeyRing ring = f.ring(resolver).gracePeriod(Duration.ofMinutes(15)).build()) {
      String token = signJjwt(ring, "bob");

      f.rotate(hmacKey("v2"));
      assertThat(verifyJjwt(ring, signJjwt(ring, "carol")).getSubject()).isEqualTo("carol");
      assertThat(verifyJjwt(ring, token).getSubject()).isEqualTo("bob");

      f.clock.advance(Duration.ofMinutes(15));
      assertThatThrownBy(() -> verifyJjwt(ring, token)).isInstanceOf(InvalidKeyException.class)
          .hasMessageContaining("has no key with id").hasMessageContaining(KEY);
    }
  }

  @Test
  void aTokenSignedWithAKeyTheRingNeverHadFails() throws Exception {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      byte[] foreign = hmacKey("attacker").getBytes(StandardCharsets.UTF_8);
      // the attacker even reuses the current key id: the signature decides, not the header
      SignedJWT forged = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(ring.current().keyId()).build(), claims("mallory"));
      forged.sign(new MACSigner(foreign));
      SignedJWT unknownKid = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("not-a-ring-key").build(), claims("mallory"));
      unknownKid.sign(new MACSigner(foreign));

      assertThatThrownBy(() -> verifyNimbus(ring, forged.serialize())).isInstanceOf(BadJOSEException.class);
      assertThatThrownBy(() -> verifyNimbus(ring, unknownKid.serialize())).isInstanceOf(BadJOSEException.class);
      assertThatThrownBy(() -> verifyJjwt(ring, forged.serialize())).isInstanceOf(JwtException.class);
      assertThatThrownBy(() -> verifyJjwt(ring, unknownKid.serialize())).isInstanceOf(InvalidKeyException.class);
    }
  }

  @Test
  void nimbusVerifiesATokenFromAnotherProcessWhoseKeyIdItDoesNotKnowByTryingEveryRingKey() throws Exception {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      f.rotate(hmacKey("v2"));
      // as signed by an instance whose key ids are process-local: same key v1, another kid
      SignedJWT elsewhere = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("kid-of-another-process").build(), claims("gina"));
      elsewhere.sign(new MACSigner(hmacKey("v1").getBytes(StandardCharsets.UTF_8)));

      assertThat(verifyNimbus(ring, elsewhere.serialize()).getSubject()).isEqualTo("gina");
      assertThatThrownBy(() -> verifyJjwt(ring, elsewhere.serialize())).isInstanceOf(InvalidKeyException.class);
    }
  }

  @Test
  void keyIdsComeFromTheStoreVersionSoEveryInstanceAgreesAndTheValueIsNotInThem() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver a = f.resolver(); SecretResolver b = f.resolver();
        KeyRing ringA = f.ring(a).build(); KeyRing ringB = f.ring(b).build()) {
      assertThat(ringA.keyIdsShared()).isTrue();
      assertThat(ringA.current().keyId()).isEqualTo(ringB.current().keyId()).hasSize(22)
          .matches("[A-Za-z0-9_-]{22}");
      String token = signJjwt(ringA, "dave");
      assertThat(verifyJjwt(ringB, token).getSubject()).isEqualTo("dave"); // another instance, by kid

      f.store.put(KEY, hmacKey("v1")); // same value, new version: a new key id
      a.admin().refresh(KEY);
      assertThat(ringA.current().keyId()).isNotEqualTo(ringB.current().keyId());
    }
  }

  @Test
  void aRingBuiltAfterARotationRestoresThePreviousVersionFromTheStoresHistory() throws Exception {
    f.store.put(KEY, hmacKey("v1"));
    String token;
    try (SecretResolver before = f.resolver(); KeyRing ring = f.ring(before).build()) {
      token = NimbusKeyRing.sign(ring, claims("erin")).serialize();
    }
    f.clock.advance(Duration.ofMinutes(30));
    f.store.put(KEY, hmacKey("v2"));           // rotated while the application was down
    f.clock.advance(Duration.ofMinutes(20));

    try (SecretResolver restarted = f.resolver(); KeyRing ring = f.ring(restarted).build()) {
      assertThat(ring.verificationKeys()).hasSize(2);
      assertThat(verifyNimbus(ring, token).getSubject()).isEqualTo("erin");
      assertThat(ring.verificationKeys().get(1).validUntil()).contains(f.clock.instant().plus(Duration.ofMinutes(40)));

      f.clock.advance(Duration.ofMinutes(40));  // 1 h after the store created v2
      assertThatThrownBy(() -> verifyNimbus(ring, token)).isInstanceOf(BadJOSEException.class);
    }
  }

  @Test
  void versionsRetiredLongerThanTheGraceWindowAgoAreNotRestored() {
    f.store.put(KEY, hmacKey("v1"));
    f.clock.advance(Duration.ofMinutes(5));
    f.store.put(KEY, hmacKey("v2"));
    f.clock.advance(Duration.ofHours(2));
    f.store.put(KEY, hmacKey("v3"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      assertThat(ring.verificationKeys()).extracting(RingKey::versionId).containsExactly("3", "2");
    }
  }

  @Test
  void theRingKeepsAtMostMaxKeysDroppingTheOldest() {
    f.store.put(KEY, hmacKey("v0"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).maxKeys(3).build()) {
      for (int i = 1; i <= 10; i++) {
        f.rotate(hmacKey("v" + i));
      }
      assertThat(ring.verificationKeys()).extracting(RingKey::versionId).containsExactly("11", "10", "9");
    }
  }

  @Test
  void aRollbackSignsWithTheOlderVersionAgainAndKeepsTheNewerOneForTheGraceWindow() {
    f.store.put(KEY, hmacKey("v1"));
    f.store.put(KEY, hmacKey("v2"));
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      String v2 = ring.current().keyId();

      resolver.admin().rollback(KEY);

      assertThat(ring.current().versionId()).isEqualTo("1");
      // v1 was restored from history as retired, and is now current again: listed once
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).containsExactly(ring.current().keyId(), v2);
      assertThat(ring.verificationKeys()).extracting(RingKey::keyId).doesNotHaveDuplicates();
    }
  }

  @Test
  void aZeroGraceWindowVerifiesOnlyTheCurrentKey() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver();
        KeyRing ring = f.ring(resolver).gracePeriod(Duration.ZERO).build()) {
      String token = signJjwt(ring, "frank");
      f.rotate(hmacKey("v2"));
      assertThat(ring.verificationKeys()).hasSize(1);
      assertThatThrownBy(() -> verifyJjwt(ring, token)).isInstanceOf(InvalidKeyException.class);
    }
  }

  @Test
  void theBuilderRefusesBadSettingsAtOnce() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver()) {
      KeyRing.Builder b = f.ring(resolver);
      assertThatThrownBy(() -> b.maxKeys(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 to 64");
      assertThatThrownBy(() -> b.maxKeys(65)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.gracePeriod(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> KeyRing.builder(resolver, "not a key")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aMissingSecretFailsTheBuildWithTheResolversMessage() {
    try (SecretResolver resolver = f.resolver()) {
      assertThatThrownBy(() -> f.ring(resolver).build())
          .isInstanceOf(org.nexusreussite.secrets.SecretNotFoundException.class).hasMessageContaining(KEY);
    }
  }

  @Test
  void closingTheRingStopsFollowingRotationListenersButReadsStillSync() {
    f.store.put(KEY, hmacKey("v1"));
    try (SecretResolver resolver = f.resolver()) {
      KeyRing ring = f.ring(resolver).build();
      ring.close();
      ring.close();
      f.rotate(hmacKey("v2"));
      assertThat(ring.current().versionId()).isEqualTo("2");
    }
  }
}
