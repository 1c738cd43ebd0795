package org.nexusreussite.secrets.dotenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * The backend inside a real resolver, over a manual clock and scheduler: editing {@code .env} during
 * development is picked up by the refresh and fires rotation listeners, exactly once per real change.
 */
class DotenvResolverTest {

  private static final Duration REFRESH = Duration.ofMinutes(1);
  private static final String CANARY = "canary-3b8e0c44-not-in-any-message";

  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<SecretRotation> rotations = new CopyOnWriteArrayList<>();
  private SecretResolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private SecretResolver resolver(Map<String, String> settings) {
    resolver = SecretResolver.builder()
        .config(SecretsConfig.of(settings))
        .provider(new DotenvBackendProvider())
        .clock(clock)
        .scheduler(scheduler)
        .refreshInterval(REFRESH)
        .maxStale(Duration.ofHours(1))
        .build();
    return resolver;
  }

  private SecretResolver resolver() {
    return resolver(Map.of("SECRETS_DOTENV_DIR", dir.toString()));
  }

  private void write(String content) throws IOException {
    Path file = dir.resolve(".env");
    FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    if (before != null) {
      // a second save within the file system's timestamp tick must still look like a change
      Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    }
  }

  @Test
  void editingTheFileFiresTheRotationListenerExactlyOnce() throws IOException {
    write("API_KEY=first\nOTHER=unchanged\n");
    SecretResolver r = resolver();
    assertThat(r.resolve("API_KEY")).isEqualTo("first");
    assertThat(r.resolve("OTHER")).isEqualTo("unchanged");
    r.onRotation(rotations::add);

    write("API_KEY=second\nOTHER=unchanged\n");
    scheduler.advance(REFRESH.plusSeconds(1));

    assertThat(r.resolve("API_KEY")).isEqualTo("second");
    assertThat(rotations).singleElement().satisfies(rotation -> {
      assertThat(rotation.key()).isEqualTo("API_KEY");
      assertThat(rotation.current().reveal()).isEqualTo("second");
    });
    scheduler.advance(REFRESH.multipliedBy(3));
    assertThat(rotations).hasSize(1);
  }

  @Test
  void anIdenticalRewriteFiresNothing() throws IOException {
    write("API_KEY=same\n");
    SecretResolver r = resolver();
    assertThat(r.resolve("API_KEY")).isEqualTo("same");
    r.onRotation("API_KEY", rotations::add);

    write("API_KEY=same\n");
    scheduler.advance(REFRESH.plusSeconds(1));
    r.admin().refresh();
    scheduler.runDue();

    assertThat(r.resolve("API_KEY")).isEqualTo("same");
    assertThat(rotations).isEmpty();
  }

  @Test
  void aForcedRefreshPicksUpAnEditWithoutWaiting() throws IOException {
    write("API_KEY=first\n");
    SecretResolver r = resolver();
    assertThat(r.resolve("API_KEY")).isEqualTo("first");
    r.onRotation("API_KEY", rotations::add);

    write("API_KEY=second\n");
    r.admin().refresh();
    scheduler.runDue();

    assertThat(r.resolve("API_KEY")).isEqualTo("second");
    assertThat(rotations).hasSize(1);
  }

  @Test
  void aHalfEditedFileKeepsServingTheLastGoodValue() throws IOException {
    write("API_KEY=good\n");
    SecretResolver r = resolver();
    assertThat(r.resolve("API_KEY")).isEqualTo("good");

    write("API_KEY=\"" + CANARY + "\n");
    scheduler.advance(REFRESH.plusSeconds(1));

    assertThat(r.resolve("API_KEY")).isEqualTo("good");
    assertThat(r.inspect().health()).singleElement().satisfies(h -> assertThat(h.lastError()).hasValueSatisfying(
        e -> assertThat(e).contains(".env:1: unterminated double quote").doesNotContain(CANARY)));
  }

  @Test
  void discoveredThroughServiceLoaderBelowEnvironmentVariables() throws IOException {
    write("SHARED=from-dotenv\nONLY_DOTENV=d\n");
    resolver = SecretResolver.builder()
        .config(SecretsConfig.of(Map.of("SECRETS_DOTENV_DIR", dir.toString()), Map.of("SHARED", "from-env")))
        .discover()
        .clock(clock)
        .scheduler(scheduler)
        .build();
    assertThat(resolver.resolve("SHARED")).isEqualTo("from-env");
    assertThat(resolver.secret("ONLY_DOTENV").backend()).isEqualTo("dotenv");
    ResolverDescription description = resolver.inspect().describe();
    assertThat(description.backends()).filteredOn(b -> b.id().equals("dotenv")).singleElement().satisfies(b -> {
      assertThat(b.active()).isTrue();
      assertThat(b.ordinal()).isEqualTo(100);
      assertThat(b.description()).startsWith("dotenv[" + dir.toAbsolutePath().normalize() + ": .env;");
    });
  }

  @Test
  void offInProductionSoTheResolverDoesNotSeeTheFile() throws IOException {
    write("API_KEY=dev\n");
    SecretResolver r = resolver(Map.of("SECRETS_DOTENV_DIR", dir.toString(), "SECRETS_PROFILE", "production"));
    assertThat(r.find("API_KEY")).isEmpty();
    assertThat(r.inspect().describe().backends()).singleElement().satisfies(b -> {
      assertThat(b.active()).isFalse();
      assertThat(b.reason()).contains("SECRETS_DOTENV_IN_PRODUCTION=true");
    });
  }
}
