package org.nexusreussite.secrets.logging.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;
import org.nexusreussite.secrets.logging.LogRedaction;
import org.nexusreussite.secrets.logging.RedactionOptions;
import org.nexusreussite.secrets.logging.SecretRedactor;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * Real Log4j2 configured from XML (plugins found through this module's Log4j2Plugins.dat), writing a real
 * file; values served by a real resolver.
 */
class Log4j2RedactionTest {
  static final String CANARY = "canary-L4j7Rx2Vn9";

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock();
  private final InMemorySecretBackend mem = new InMemorySecretBackend("mem", clock);
  private final SecretResolver resolver = SecretResolver.builder().backend(mem, 300).clock(clock)
      .scheduler(new ManualScheduler(clock)).build();
  private final SecretRedactor redactor = LogRedaction.install(SecretRedactor.attach(resolver,
      RedactionOptions.builder().clock(clock).grace(Duration.ofMinutes(10)).build()));
  private @Nullable LoggerContext context;
  private @Nullable Path file;

  @AfterEach
  void close() {
    ThreadContext.clearAll();
    if (context != null) {
      context.stop();
    }
    LogRedaction.reset();
    redactor.close();
    resolver.close();
  }

  private Logger configure(String config) throws Exception {
    file = dir.resolve(config + ".log");
    System.setProperty("redaction.logFile", file.toString());
    context = new LoggerContext(config, null,
        Objects.requireNonNull(getClass().getResource(config + ".xml")).toURI());
    context.start();
    return context.getLogger("app.Orders");
  }

  private String output() throws Exception {
    Objects.requireNonNull(context).stop(); // flush and close the file
    return Files.readString(Objects.requireNonNull(file));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pattern", "rewrite"})
  void theCanaryNeverAppearsInMessageArgumentExceptionCauseOrMdc(String config) throws Exception {
    Logger log = configure(config);
    mem.put("DB_PASSWORD", CANARY);
    String served = resolver.resolve("DB_PASSWORD");
    ThreadContext.put("credential", served);
    log.info("connecting with " + served);
    log.warn("retrying with {} after {} ms", served, 250);
    IllegalStateException cause = new IllegalStateException("pool refused " + served);
    log.error("login failed", new RuntimeException("bad password " + served, cause));
    String out = output();
    assertThat(out).doesNotContain(CANARY);
    assertThat(out).contains("connecting with [secret:DB_PASSWORD]",
        "retrying with [secret:DB_PASSWORD] after 250 ms", "credential=[secret:DB_PASSWORD]",
        "java.lang.RuntimeException: bad password [secret:DB_PASSWORD]",
        "Caused by: java.lang.IllegalStateException: pool refused [secret:DB_PASSWORD]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pattern", "rewrite"})
  void aRotationIsFollowedAndTheOldValueIsRedactedWithinGraceOnly(String config) throws Exception {
    Logger log = configure(config);
    mem.put("API_KEY", "old-api-key-123");
    resolver.resolve("API_KEY");
    mem.put("API_KEY", "new-api-key-456");
    resolver.admin().refresh("API_KEY");
    log.info("a=old-api-key-123 b=new-api-key-456");
    clock.advance(Duration.ofMinutes(11));
    log.info("later a=old-api-key-123 b=new-api-key-456");
    assertThat(output()).contains("INFO  Orders [{}] a=[secret:API_KEY] b=[secret:API_KEY]",
        "INFO  Orders [{}] later a=old-api-key-123 b=[secret:API_KEY]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pattern", "rewrite"})
  void ordinaryLinesAndShortValuesAreLeftAlone(String config) throws Exception {
    Logger log = configure(config);
    mem.put("DB_PASSWORD", CANARY);
    mem.put("DB_PORT", "5432");
    resolver.resolve("DB_PASSWORD");
    resolver.resolve("DB_PORT");
    String[] lines = {
        "Tomcat started on port 8080 (http) with context path ''",
        "HikariPool-1 - Start completed; jdbc:postgresql://db:5432/app",
        "order 4711 rejected: insufficient stock for SKU-000123 (requested 3, available 2)",
        "trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7 canary-L4j7Rx2Vn",
        "Le paiement n°42 a été accepté — montant 12,50 €"};
    for (String line : lines) {
      log.info(line);
    }
    StringBuilder expected = new StringBuilder();
    for (String line : lines) {
      expected.append("INFO  Orders [{}] ").append(line).append(System.lineSeparator());
    }
    assertThat(output()).isEqualTo(expected.toString());
  }

  @Test
  void withNothingInstalledTheSecretsDefaultResolverIsFollowed() throws Exception {
    LogRedaction.reset();
    SecretResolver saved = Secrets.setDefault(resolver);
    try {
      Logger log = configure("pattern");
      mem.put("TOKEN", "default-token-789");
      Secrets.resolve("TOKEN");
      log.info("token default-token-789");
      assertThat(output()).contains("token [secret:TOKEN]").doesNotContain("default-token-789");
    } finally {
      Secrets.setDefault(saved);
    }
  }
}
