package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.MissingSecretsException;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsListener;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * Runs a full scenario (lookups, rotations, failures, stale serving, max-stale errors, pins, rollback,
 * reports) with every log level on, and fails if the canary value appears in any log record, exception
 * message, report or {@code toString()}.
 */
class CanaryTest {

  private static final String CANARY = "CANARY-7f3a9c-do-not-log";

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
  void theCanaryValueAppearsNowhere() throws Exception {
    ResolverFixture f = new ResolverFixture();
    InMemorySecretBackend vault = f.backend("vault");
    InMemorySecretBackend dotenv = f.backend("dotenv");
    vault.put("DATABASE_URL", CANARY + "-v1");
    vault.put("DATABASE_URL", CANARY + "-v2");
    dotenv.put("JWT_SECRET_KEY", CANARY + "-jwt");
    SecretsListener metrics = new SecretsListener() {
      @Override
      public void onBackendFailure(String backendId, org.nexusreussite.secrets.SecretsException error) {
        texts.add(String.valueOf(error));
      }
    };
    try (SecretResolver r = f.builder().backend(vault, 300).backend(dotenv, 100).listener(metrics)
        .require("DATABASE_URL", "JWT_SECRET_KEY").build()) {
      r.onRotation(rotation -> texts.add(String.valueOf(rotation)));
      r.resolve("DATABASE_URL");
      r.resolve("JWT_SECRET_KEY");
      texts.add(String.valueOf(r.secret("DATABASE_URL")));
      texts.add(String.valueOf(r.secret("DATABASE_URL", VersionSelector.previous())));
      texts.add(String.valueOf(r.admin().pin("DATABASE_URL", "1")));
      r.admin().unpin("DATABASE_URL");
      texts.add(String.valueOf(r.admin().rollback("DATABASE_URL")));
      r.admin().unpin("DATABASE_URL");
      vault.put("DATABASE_URL", CANARY + "-v3");
      f.scheduler.advance(ResolverFixture.REFRESH);
      texts.add(String.valueOf(r.admin().rollback("DATABASE_URL", RollbackScope.BACKEND)));
      // a foreign exception whose message quotes the stored value, as a careless client library might
      Supplier<RuntimeException> leaky = () -> new IllegalStateException("could not parse " + CANARY + "-v3");
      vault.failAlways(leaky);
      f.scheduler.advance(ResolverFixture.REFRESH);
      texts.add(String.valueOf(r.inspect().explain("DATABASE_URL")));
      texts.add(String.valueOf(r.inspect().health()));
      f.scheduler.advance(ResolverFixture.MAX_STALE.plus(Duration.ofMinutes(1)));
      collect(() -> r.resolve("DATABASE_URL"));
      collect(() -> r.secret("DATABASE_URL", VersionSelector.id("1")));
      collect(() -> r.resolve("ABSENT_KEY"));
      texts.add(String.valueOf(r.inspect().validate()));
      texts.add(r.inspect().validate().summary());
      texts.add(String.valueOf(r.inspect().explain("DATABASE_URL")));
      texts.add(String.valueOf(r.inspect().explain("JWT_SECRET_KEY")));
      texts.add(String.valueOf(r.inspect().describe()));
      texts.add(String.valueOf(r.inspect().health()));
      collect(() -> texts.add(String.valueOf(r.inspect().listKeys())));
      texts.add(String.valueOf(r));
    }
    f.settings.put("SECRETS_PROFILE", "production");
    vault.recover();
    collect(() -> f.builder().backend(vault, 300).require("DATABASE_URL", "MISSING_ONE").build());
    assertThat(texts).hasSizeGreaterThan(20);
    assertThat(texts).anyMatch(t -> t.contains("DATABASE_URL"));
    for (String text : texts) {
      assertThat(text).doesNotContain(CANARY);
    }
  }

  private void collect(Runnable action) {
    try {
      action.run();
      texts.add("(no exception)");
    } catch (RuntimeException e) {
      texts.add(e.toString());
      if (e instanceof MissingSecretsException missing) {
        texts.add(missing.report().toString());
      }
    }
  }
}
