package org.nexusreussite.secrets.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class LogRedactionTest {
  private @Nullable SecretResolver saved;

  @BeforeEach
  void clearDefault() {
    saved = Secrets.setDefault(null);
    LogRedaction.reset();
  }

  @AfterEach
  void restoreDefault() {
    LogRedaction.reset();
    Secrets.setDefault(saved);
  }

  @Test
  void withoutADefaultResolverNothingIsBuiltAndNothingRedacted() {
    assertThat(LogRedaction.redactor()).isSameAs(SecretRedactor.none());
    assertThat(Secrets.defaultIfPresent()).isEmpty();
  }

  @Test
  void theDefaultResolverIsFollowedAndAReplacementIsFollowedToo() {
    InMemorySecretBackend a = new InMemorySecretBackend("a");
    a.put("TOKEN", "token-from-a-123");
    InMemorySecretBackend b = new InMemorySecretBackend("b");
    b.put("TOKEN", "token-from-b-456");
    try (SecretResolver ra = SecretResolver.builder().backend(a, 300).build();
        SecretResolver rb = SecretResolver.builder().backend(b, 300).build()) {
      Secrets.setDefault(ra);
      Secrets.resolve("TOKEN");
      assertThat(LogRedaction.redactor().redact("t=token-from-a-123")).isEqualTo("t=[secret:TOKEN]");
      Secrets.setDefault(rb);
      Secrets.resolve("TOKEN");
      assertThat(LogRedaction.redactor().redact("t=token-from-b-456")).isEqualTo("t=[secret:TOKEN]");
    }
  }

  @Test
  void anInstalledRedactorWinsOverTheDefault() {
    SecretRedactor manual = SecretRedactor.manual(RedactionOptions.defaults());
    manual.served(TestSecrets.of("K", "manual-value-1"));
    LogRedaction.install(manual);
    assertThat(LogRedaction.redactor()).isSameAs(manual);
  }

  @Test
  void aDefaultThatCannotReportServedValuesTurnsRedactionOffOnceInsteadOfThrowingOnEveryLine() {
    InMemorySecretBackend a = new InMemorySecretBackend("a");
    a.put("TOKEN", "token-from-a-123");
    try (SecretResolver real = SecretResolver.builder().backend(a, 300).build()) {
      AtomicInteger asked = new AtomicInteger();
      // a decorating resolver, as applications write them: everything delegated except onServe (the default)
      SecretResolver decorated = (SecretResolver) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {SecretResolver.class}, (proxy, method, args) -> {
            if (method.getName().equals("onServe")) {
              asked.incrementAndGet();
              throw new UnsupportedOperationException("decorator");
            }
            return method.invoke(real, args);
          });
      Secrets.setDefault(decorated);

      assertThat(LogRedaction.redactor()).isSameAs(SecretRedactor.none());
      assertThat(LogRedaction.redactor().redact("t=token-from-a-123")).isEqualTo("t=token-from-a-123");
      assertThat(asked).as("asked once, not on every line").hasValue(1);
    }
  }
}
