package org.nexusreussite.secrets.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VerificationFailedException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.buildsupport.SecurityGuide;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.nexusreussite.secrets.spi.BackendContext;

/** Writes with check-and-set against a real OpenBao KV v2 mount. */
class VaultWriteIT {
  private static final OpenBaoServer BAO = OpenBaoServer.shared();
  private static final String CANARY = "canary-vault-write-5d1c";
  private final String rel = "write-" + UUID.randomUUID();

  private static VaultSecretBackend backend(String path) {
    return (VaultSecretBackend) new VaultBackendProvider().create(BackendContext.builder(VaultBackendProvider.ID)
        .config(SecretsConfig.of(Map.of("VAULT_ADDR", BAO.address(), "VAULT_TOKEN", BAO.rootToken(),
            "VAULT_PATH", path, "SECRETS_VAULT_RETRIES", "0")))
        .build());
  }

  @Test
  void aWriteMakesANewVersionAndKeepsTheOtherFields() {
    Bao.putV2(BAO, rel, Map.of("JWT_SECRET_KEY", "old", "DATABASE_URL", "postgres://db"));
    try (VaultSecretBackend b = backend("secret/" + rel)) {
      SecretVersion v = b.write("JWT_SECRET_KEY", SecretValue.of(CANARY), WriteOptions.defaults());

      assertThat(v.id()).isEqualTo("2");
      assertThat(v.createdAt()).isPresent();
      assertThat(b.fetch("JWT_SECRET_KEY", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(CANARY);
      assertThat(b.fetch("DATABASE_URL", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("postgres://db");
      assertThat(b.fetch("JWT_SECRET_KEY", VersionSelector.id("1")).orElseThrow().reveal()).isEqualTo("old");
    }
  }

  @Test
  void aWriterExpectingAnOlderVersionLosesToTheConcurrentOne() {
    Bao.putV2(BAO, rel, Map.of("K", "v1"));
    Bao.setFieldV2(BAO, rel, "K", "someone-else");
    try (VaultSecretBackend b = backend("secret/" + rel)) {
      assertThatThrownBy(() -> b.write("K", SecretValue.of(CANARY),
          WriteOptions.builder().expectedVersion("1").build()))
          .isInstanceOfSatisfying(WriteConflictException.class, e -> {
            assertThat(e.currentVersion()).contains("2");
            assertThat(e.getMessage()).contains("'K'").contains("lost to version 2").doesNotContain(CANARY)
                .doesNotContain("someone-else");
            SecurityGuide.assertDocumented(e.getMessage());
          });
      assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("someone-else");
    }
  }

  @Test
  void ofTwoRacingWritersExactlyOneWinsByCheckAndSet() throws Exception {
    Bao.putV2(BAO, rel, Map.of("K", "v1", "OTHER", "kept"));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (VaultSecretBackend a = backend("secret/" + rel); VaultSecretBackend c = backend("secret/" + rel)) {
      a.fetch("K", VersionSelector.latest()); // log in and detect the mount before the race
      c.fetch("K", VersionSelector.latest());
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (VaultSecretBackend b : List.of(a, c)) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            return b.write("K", SecretValue.of(CANARY + b.hashCode()), WriteOptions.builder().expectedVersion("1")
                .build()).id();
          } catch (WriteConflictException e) {
            return "conflict";
          }
        }));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> f : results) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(outcomes).containsExactlyInAnyOrder("2", "conflict");
      assertThat(a.versions("K")).extracting(SecretVersion::id).containsExactly("2", "1");
      assertThat(a.fetch("OTHER", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("kept");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void throughTheResolverReadsSeeTheNewVersionAtOnce() {
    Bao.putV2(BAO, rel, Map.of("K", "v1"));
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(backend("secret/" + rel), VaultBackendProvider.ORDINAL).build()) {
      assertThat(r.resolve("K")).isEqualTo("v1");
      SecretWrite w = r.admin().write("K", SecretValue.of(CANARY), WriteOptions.defaults());
      assertThat(r.resolve("K")).isEqualTo(CANARY);
      assertThat(w.previous().orElseThrow().id()).isEqualTo("1");
      assertThat(w.current().id()).isEqualTo("2");
    }
  }

  @Test
  void aRefusedVerificationWritesThePreviousDataBack() {
    Bao.putV2(BAO, rel, Map.of("K", "v1", "OTHER", "o"));
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(backend("secret/" + rel), VaultBackendProvider.ORDINAL).build()) {
      WriteOptions verify = WriteOptions.builder()
          .verifier((k, v) -> { throw VerificationFailedException.reason("test refuses"); }).build();
      assertThatThrownBy(() -> r.admin().write("K", SecretValue.of(CANARY), verify))
          .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
            assertThat(e.outcome()).isEqualTo(VerificationFailedException.Outcome.ROLLED_BACK);
            SecurityGuide.assertDocumented(e.getMessage());
          });
      assertThat(r.resolve("K")).isEqualTo("v1");
      assertThat(r.admin().versions("K").get(0).id()).isEqualTo("3");
    }
  }

  @Test
  void aKeyIsCreatedOnlyWhenAsked() {
    Bao.putV2(BAO, rel, Map.of("OTHER", "o"));
    try (VaultSecretBackend b = backend("secret/" + rel)) {
      assertThatThrownBy(() -> b.write("NEW", SecretValue.of(CANARY), WriteOptions.defaults()))
          .hasMessageContaining("'NEW' not found");
      b.write("NEW", SecretValue.of(CANARY), WriteOptions.builder().createIfMissing(true).build());
      assertThat(b.fetch("NEW", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo(CANARY);
      assertThat(b.fetch("OTHER", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("o");
    }
  }

  @Test
  void aKvV1PathIsRefusedForWrites() {
    Bao.mount(BAO, "kv1", "{\"type\":\"kv\"}");
    BAO.api("POST", "/v1/kv1/" + rel, "{\"K\":\"v1-value\"}");
    try (VaultSecretBackend b = backend("kv1/" + rel)) {
      assertThatThrownBy(() -> b.write("K", SecretValue.of(CANARY), WriteOptions.defaults()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("KV v1").hasMessageContaining("check-and-set")
          .satisfies(e -> SecurityGuide.assertDocumented(e.getMessage()));
      assertThat(b.fetch("K", VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("v1-value");
    }
  }
}
