package org.nexusreussite.secrets.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nexusreussite.secrets.jwt.RingFixture.KEY;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;

/**
 * Runs the ring through rotations, a refused key, a foreign token, an expired grace window and a failed build
 * with every log level on, and fails if the canary key (or its base64 or hex form) appears in any log record,
 * exception message or cause, or {@code toString()}.
 */
class KeyRingCanaryTest {
  private static final String CANARY = "CANARY-jwt-5e1f0c-do-not-log-0123456789";

  private final Logger root = Logger.getLogger("org.nexusreussite.secrets");
  private final List<String> texts = new ArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      synchronized (texts) {
        texts.add(formatter.format(record));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level previousLevel;

  @BeforeEach
  void captureEveryLogRecord() {
    previousLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    root.removeHandler(capture);
    root.setLevel(previousLevel);
  }

  @Test
  void theCanaryKeyAppearsInNoLogMessageOrToString() throws Exception {
    RingFixture f = new RingFixture();
    f.store.put(KEY, CANARY + "-v1");
    try (SecretResolver resolver = f.resolver(); KeyRing ring = f.ring(resolver).build()) {
      String token = RingFixture.signJjwt(ring, "alice");
      texts.add(ring.toString());
      f.rotate(CANARY + "-v2");
      f.rotate("CANARY");                                  // too short: refused, logged
      texts.add(ring.toString());
      ring.verificationKeys().forEach(k -> texts.add(k.toString()));
      texts.add(ring.verificationKeys().toString());

      SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("x\nINJECTED").build(),
          RingFixture.claims("mallory"));
      foreign.sign(new MACSigner((CANARY + "-foreign").getBytes(StandardCharsets.UTF_8)));
      collect(() -> RingFixture.verifyJjwt(ring, foreign.serialize()));
      collect(() -> RingFixture.verifyNimbus(ring, foreign.serialize()));
      f.clock.advance(Duration.ofHours(2));
      collect(() -> RingFixture.verifyJjwt(ring, token));
      collect(() -> RingFixture.verifyNimbus(ring, token));
    }
    f.store.put("SHORT_KEY", CANARY.substring(0, 20));
    f.store.put("B64_KEY", CANARY);
    f.store.put("RSA_KEY", "-----BEGIN PRIVATE KEY-----\n" + CANARY + "\n-----END PRIVATE KEY-----");
    try (SecretResolver resolver = f.resolver()) {
      collect(() -> KeyRing.builder(resolver, "SHORT_KEY").build());
      collect(() -> KeyRing.builder(resolver, "B64_KEY").encoding(KeyEncoding.BASE64).build());
      collect(() -> KeyRing.builder(resolver, "B64_KEY").encoding(KeyEncoding.HEX).build());
      collect(() -> KeyRing.builder(resolver, "RSA_KEY").algorithm(JwtAlgorithm.RS256).build());
    }

    assertThat(texts).hasSizeGreaterThan(10);
    String b64 = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(CANARY.getBytes(StandardCharsets.UTF_8));
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain("CANARY-jwt").doesNotContain(b64.substring(0, 16))
        .doesNotContain(hex.substring(0, 16)).doesNotContain("5e1f0c"));
    // the foreign token's kid is quoted, bounded and stripped of control characters
    assertThat(texts).noneMatch(t -> t.contains("x\nINJECTED")).anyMatch(t -> t.contains("'x?INJECTED'"));
  }

  private interface Action {
    void run() throws Exception;
  }

  private void collect(Action action) {
    assertThatThrownBy(action::run).satisfies(e -> {
      for (Throwable t = e; t != null; t = t.getCause()) {
        texts.add(String.valueOf(t));
      }
    });
  }
}
