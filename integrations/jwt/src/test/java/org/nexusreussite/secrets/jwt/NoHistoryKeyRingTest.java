package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;
import static org.nexusreussite.secrets.jwt.RingFixture.claims;
import static org.nexusreussite.secrets.jwt.RingFixture.hmacKey;
import static org.nexusreussite.secrets.jwt.RingFixture.signJjwt;
import static org.nexusreussite.secrets.jwt.RingFixture.verifyJjwt;
import static org.nexusreussite.secrets.jwt.RingFixture.verifyNimbus;

import com.nimbusds.jose.proc.BadJOSEException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.FingerprintKey;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.dotenv.DotenvBackendProvider;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/** Stores without history: a real .env file in a temp folder, and the env backend. */
class NoHistoryKeyRingTest {
  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private SecretResolver dotenv() {
    return SecretResolver.builder().config(SecretsConfig.of(Map.of("SECRETS_DOTENV_DIR", dir.toString())))
        .provider(new DotenvBackendProvider()).clock(clock).scheduler(scheduler)
        .refreshInterval(RingFixture.REFRESH).build();
  }

  private void write(String value) throws IOException {
    Path file = dir.resolve(".env");
    FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
    Files.writeString(file, KEY + "=" + value + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    if (before != null) {
      // a second save within the file system's timestamp tick must still look like a change
      Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }
  }

  private void rotate(String value) throws IOException {
    write(value);
    scheduler.advance(RingFixture.REFRESH);
  }

  @Test
  void thePreviouslyServedValueVerifiesForTheGraceWindowAfterTheFileChanges() throws Exception {
    write(hmacKey("file-v1"));
    try (SecretResolver resolver = dotenv();
        KeyRing ring = KeyRing.builder(resolver, KEY).clock(clock).gracePeriod(Duration.ofMinutes(30)).build()) {
      String token = NimbusKeyRing.sign(ring, claims("alice")).serialize();
      String first = ring.current().keyId();

      rotate(hmacKey("file-v2"));

      assertThat(ring.current().keyId()).isNotEqualTo(first);
      assertThat(ring.current().versionId()).startsWith("content:");
      assertThat(verifyNimbus(ring, token).getSubject()).isEqualTo("alice");
      clock.advance(Duration.ofMinutes(29));
      assertThat(verifyNimbus(ring, token).getSubject()).isEqualTo("alice");
      clock.advance(Duration.ofMinutes(1));
      assertThatThrownBy(() -> verifyNimbus(ring, token)).isInstanceOf(BadJOSEException.class);
      assertThat(ring.verificationKeys()).hasSize(1);
    }
  }

  @Test
  void withoutASharedFingerprintKeyKeyIdsAreProcessLocalAndSaySo() throws IOException {
    write(hmacKey("file-v1"));
    try (SecretResolver resolver = dotenv();
        KeyRing ring = KeyRing.builder(resolver, KEY).clock(clock)
            .fingerprintKey(FingerprintKey.processLocal()).build()) {
      assertThat(ring.keyIdsShared()).isFalse();
      assertThat(ring.current().keyId()).matches("[A-Za-z0-9_-]{22}");
    }
  }

  @Test
  void aSharedFingerprintKeyGivesEveryInstanceTheSameKeyIdsSoJjwtFindsThem() throws IOException {
    FingerprintKey fleet = FingerprintKey.shared("fleet-key-0123456789abcdef");
    write(hmacKey("file-v1"));
    try (SecretResolver a = dotenv(); SecretResolver b = dotenv();
        KeyRing ringA = KeyRing.builder(a, KEY).clock(clock).fingerprintKey(fleet).build();
        KeyRing ringB = KeyRing.builder(b, KEY).clock(clock).fingerprintKey(fleet).build();
        KeyRing local = KeyRing.builder(b, KEY).clock(clock).fingerprintKey(FingerprintKey.processLocal())
            .build()) {
      assertThat(ringA.keyIdsShared()).isTrue();
      assertThat(ringA.current().keyId()).isEqualTo(ringB.current().keyId())
          .isNotEqualTo(local.current().keyId());
      String token = signJjwt(ringA, "bob");

      rotate(hmacKey("file-v2"));

      assertThat(verifyJjwt(ringB, token).getSubject()).isEqualTo("bob");
      assertThat(ringA.current().keyId()).isEqualTo(ringB.current().keyId());
    }
  }

  @Test
  void theEnvBackendServesARingToo() {
    SecretsConfig config = SecretsConfig.of(Map.of("SECRETS_BACKENDS", "env"), Map.of(KEY, hmacKey("env")));
    try (SecretResolver resolver = SecretResolver.builder().config(config).discover().clock(clock)
        .scheduler(scheduler).build();
        KeyRing ring = KeyRing.builder(resolver, KEY).clock(clock)
            .fingerprintKey(FingerprintKey.processLocal()).build()) {
      assertThat(ring.current().backend()).isEqualTo("env");
      assertThat(ring.keyIdsShared()).isFalse();
      assertThat(verifyJjwt(ring, signJjwt(ring, "carol")).getSubject()).isEqualTo("carol");
    }
  }
}
