package org.nexusreussite.secrets.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

class SecretRedactorTest {
  static final String CANARY = "canary-7Hq2xZ9pLw4";

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemorySecretBackend mem = new InMemorySecretBackend("mem", clock);
  private final SecretResolver resolver = SecretResolver.builder().backend(mem, 300).clock(clock)
      .scheduler(scheduler).build();
  private final SecretRedactor redactor = SecretRedactor.attach(resolver,
      RedactionOptions.builder().clock(clock).grace(Duration.ofMinutes(10)).build());

  @AfterEach
  void close() {
    redactor.close();
    resolver.close();
  }

  @Test
  void aServedValueIsReplacedByAMarkerNamingItsKey() {
    mem.put("DB_PASSWORD", CANARY);
    resolver.resolve("DB_PASSWORD");
    assertThat(redactor.redact("login failed with " + CANARY + " for app"))
        .isEqualTo("login failed with [secret:DB_PASSWORD] for app");
  }

  @Test
  void aValueNotYetServedIsNotKnown() {
    mem.put("DB_PASSWORD", CANARY);
    assertThat(redactor.redact("x " + CANARY)).contains(CANARY);
  }

  @Test
  void valuesServedBeforeAttachingAreKnown() {
    mem.put("API_KEY", "sk-live-0123456789");
    resolver.resolve("API_KEY");
    try (SecretRedactor late = SecretRedactor.attach(resolver)) {
      assertThat(late.redact("key=sk-live-0123456789")).isEqualTo("key=[secret:API_KEY]");
    }
  }

  @Test
  void aLineWithoutValuesIsReturnedAsTheSameInstance() {
    mem.put("DB_PASSWORD", CANARY);
    resolver.resolve("DB_PASSWORD");
    String line = "GET /health 200 in 3 ms from 10.0.0.7 user=alice";
    assertThat(redactor.redact(line)).isSameAs(line);
  }

  @Test
  void valuesShorterThanTheMinimumAreLeftAlone() {
    mem.put("PORT", "5432");
    mem.put("MODE", "prod123"); // 7 characters
    resolver.resolve("PORT");
    resolver.resolve("MODE");
    String line = "listening on 5432 in prod123";
    assertThat(redactor.redact(line)).isSameAs(line);
    assertThat(redactor.size()).isZero();
  }

  @Test
  void aRotatedValueIsRedactedAndTheOldOneStaysRedactedWithinGraceOnly() {
    mem.put("DB_PASSWORD", "old-password-1");
    resolver.resolve("DB_PASSWORD");
    mem.put("DB_PASSWORD", "new-password-2");
    resolver.admin().refresh("DB_PASSWORD");
    assertThat(redactor.redact("a=old-password-1 b=new-password-2"))
        .isEqualTo("a=[secret:DB_PASSWORD] b=[secret:DB_PASSWORD]");
    clock.advance(Duration.ofMinutes(9));
    assertThat(redactor.redact("a=old-password-1")).isEqualTo("a=[secret:DB_PASSWORD]");
    clock.advance(Duration.ofMinutes(2));
    assertThat(redactor.redact("a=old-password-1 b=new-password-2"))
        .isEqualTo("a=old-password-1 b=[secret:DB_PASSWORD]");
  }

  @Test
  void overlappingValuesAreRedactedAsOneSpan() {
    SecretRedactor manual = SecretRedactor.manual(RedactionOptions.defaults());
    manual.served(TestSecrets.of("A", "abcdefgh1234"));
    manual.served(TestSecrets.of("B", "1234ijklmnop"));
    manual.served(TestSecrets.of("C", "xxabcdefgh1234yy"));
    // equal lengths: the first match names the merged span
    assertThat(manual.redact("[abcdefgh1234ijklmnop]")).isEqualTo("[[secret:A]]");
    assertThat(manual.redact("<xxabcdefgh1234yy>")).isEqualTo("<[secret:C]>");
    assertThat(manual.redact("abcdefgh1234 and abcdefgh1234")).isEqualTo("[secret:A] and [secret:A]");
  }

  @Test
  void aHundredValuesAreAllFoundAndRandomTextIsUntouched() {
    SecretRedactor manual = SecretRedactor.manual(RedactionOptions.defaults());
    Random random = new Random(42);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String v = Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "Q" + i;
      values.add(v);
      manual.served(TestSecrets.of("K" + i, v));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(manual.redact("v=" + values.get(i) + ".")).isEqualTo("v=[secret:K" + i + "].");
    }
    String sample = SampleLog.text();
    assertThat(manual.redact(sample)).isSameAs(sample);
  }

  @Test
  void inPlaceRedactionTouchesOnlyTheGivenRange() {
    SecretRedactor manual = SecretRedactor.manual(RedactionOptions.defaults());
    manual.served(TestSecrets.of("TOKEN", "tok-abcdefgh"));
    StringBuilder sb = new StringBuilder("tok-abcdefgh | tok-abcdefgh tok-abcdefgh");
    assertThat(manual.redact(sb, 15)).isTrue();
    assertThat(sb).hasToString("tok-abcdefgh | [secret:TOKEN] [secret:TOKEN]");
    assertThat(manual.redact(new StringBuilder("nothing here"), 0)).isFalse();
  }

  @Test
  void theBoundOnValuesDropsOldValuesInGraceFirstThenRefuses() {
    SecretRedactor small = SecretRedactor.manual(RedactionOptions.builder().maxValues(2).build());
    small.served(TestSecrets.of("A", "a-value-1"));
    small.served(TestSecrets.of("A", "a-value-2")); // a-value-1 in grace
    small.served(TestSecrets.of("B", "b-value-1")); // grace dropped to make room
    assertThat(small.redact("a-value-1")).isEqualTo("a-value-1");
    small.served(TestSecrets.of("C", "c-value-1")); // refused: two current values already
    assertThat(small.redact("a-value-2 b-value-1 c-value-1"))
        .isEqualTo("[secret:A] [secret:B] c-value-1");
  }

  @Test
  void aRollbackToAValueInGraceMakesItCurrentAgain() {
    SecretRedactor manual = SecretRedactor.manual(RedactionOptions.builder().clock(clock)
        .grace(Duration.ofMinutes(1)).build());
    manual.served(TestSecrets.of("A", "first-value"));
    manual.served(TestSecrets.of("A", "second-value"));
    manual.served(TestSecrets.of("A", "first-value"));
    clock.advance(Duration.ofMinutes(5));
    assertThat(manual.redact("first-value second-value")).isEqualTo("[secret:A] second-value");
  }

  @Test
  void noValueShowsInToStringOrOptions() {
    mem.put("DB_PASSWORD", CANARY);
    resolver.resolve("DB_PASSWORD");
    redactor.redact("warm " + CANARY);
    assertThat(redactor.toString()).doesNotContain(CANARY).contains("DB_PASSWORD");
    assertThat(redactor.options().toString()).doesNotContain(CANARY);
  }

  @Test
  void nonAsciiTextAndValuesAreHandled() {
    SecretRedactor manual = SecretRedactor.manual(RedactionOptions.defaults());
    manual.served(TestSecrets.of("PASS", "mötörhead-é-😀-x"));
    assertThat(manual.redact("préfixe mötörhead-é-😀-x suffixe ☃"))
        .isEqualTo("préfixe [secret:PASS] suffixe ☃");
  }
}
