package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.RollbackScope;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretRotation;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class PinsAndRollbackTest {

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend vault = f.backend("vault");

  @Test
  void aPinServesThatVersionThroughRefreshesUntilUnpinned() {
    vault.put("KEY", "v1");
    vault.put("KEY", "v2");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(r.resolve("KEY")).isEqualTo("v2");
      assertThat(r.admin().pin("KEY", "1").reveal()).isEqualTo("v1");
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      assertThat(r.admin().pins()).isEqualTo(Map.of("KEY", "1"));
      assertThat(r.inspect().explain("KEY").pinnedVersion()).contains("1");
      vault.put("KEY", "v3");
      f.scheduler.advance(ResolverFixture.REFRESH);
      assertThat(r.resolve("KEY")).as("a pin survives refreshes").isEqualTo("v1");
      r.admin().unpin("KEY");
      assertThat(r.resolve("KEY")).isEqualTo("v3");
      assertThat(r.admin().pins()).isEmpty();
    }
  }

  @Test
  void pinsFromTheSecretsPinsSetting() {
    vault.put("KEY", "v1");
    vault.put("KEY", "v2");
    vault.put("OTHER", "o1");
    vault.put("OTHER", "o2");
    f.settings.put("SECRETS_PINS", "KEY@1, OTHER@stage:previous");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      assertThat(r.resolve("OTHER")).isEqualTo("o1");
      assertThat(r.admin().pins()).containsEntry("KEY", "1").containsEntry("OTHER", "stage:previous");
    }
  }

  @Test
  void aMalformedPinsSettingNamesTheSetting() {
    f.settings.put("SECRETS_PINS", "KEY");
    assertThatThrownBy(() -> f.builder().backend(vault, 300).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_PINS")
        .hasMessageContaining("KEY@version");
  }

  @Test
  void pinningAnAbsentVersionFailsAndChangesNothing() {
    vault.put("KEY", "v1");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.admin().pin("KEY", "42")).isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("Version 42 of 'KEY'");
      assertThat(r.resolve("KEY")).isEqualTo("v1");
      assertThat(r.admin().pins()).isEmpty();
    }
  }

  @Test
  void localRollbackPinsTheVersionBeforeTheOneServedAndFiresOnce() {
    vault.put("KEY", "good");
    vault.put("KEY", "bad");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      List<SecretRotation> heard = new ArrayList<>();
      r.onRotation("KEY", heard::add);
      assertThat(r.resolve("KEY")).isEqualTo("bad");
      assertThat(r.admin().rollback("KEY").reveal()).isEqualTo("good");
      assertThat(r.resolve("KEY")).isEqualTo("good");
      assertThat(r.admin().pins()).containsEntry("KEY", "1");
      assertThat(heard).hasSize(1);
      assertThat(vault.fetch("KEY", VersionSelector.latest()).orElseThrow().reveal())
          .as("a local rollback leaves the store alone").isEqualTo("bad");
    }
  }

  @Test
  void localRollbackWithNoEarlierVersionSaysSo() {
    vault.put("KEY", "only");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.admin().rollback("KEY")).isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("A live version before 1 of 'KEY'");
    }
  }

  @Test
  void backendRollbackChangesTheStoreForEveryReader() {
    vault.put("KEY", "good");
    vault.put("KEY", "bad");
    try (SecretResolver first = f.builder().backend(vault, 300).build()) {
      assertThat(first.resolve("KEY")).isEqualTo("bad");
      assertThat(first.admin().rollback("KEY", RollbackScope.BACKEND).reveal()).isEqualTo("good");
      assertThat(first.resolve("KEY")).isEqualTo("good");
      assertThat(first.admin().pins()).isEmpty();
    }
    InMemorySecretBackend sameStore = vault;
    try (SecretResolver second = new ResolverFixture().builder().backend(sameStore, 300).build()) {
      assertThat(second.resolve("KEY")).isEqualTo("good");
    }
  }

  @Test
  void backendRollbackOnABackendWithoutItIsUnsupported() {
    InMemorySecretBackend env = new InMemorySecretBackend("env", EnumSet.of(Capability.VERSIONS),
        Clock.systemUTC());
    env.put("KEY", "one");
    env.put("KEY", "two");
    try (SecretResolver r = f.builder().backend(env, 400).build()) {
      assertThatThrownBy(() -> r.admin().rollback("KEY", RollbackScope.BACKEND))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageContaining("env");
      assertThat(r.resolve("KEY")).isEqualTo("two");
    }
  }

  @Test
  void olderVersionsAndStagesAreReadableWithoutChangingWhatIsServed() {
    vault.put("KEY", "v1");
    vault.put("KEY", "v2");
    try (SecretResolver r = f.builder().backend(vault, 300).build()) {
      assertThat(r.secret("KEY", VersionSelector.previous()).reveal()).isEqualTo("v1");
      assertThat(r.secret("KEY", VersionSelector.id("1")).reveal()).isEqualTo("v1");
      assertThat(r.secret("KEY", VersionSelector.stage(InMemorySecretBackend.CURRENT)).reveal()).isEqualTo("v2");
      assertThat(r.admin().versions("KEY")).extracting(v -> v.id()).containsExactly("2", "1");
      assertThat(r.resolve("KEY")).isEqualTo("v2");
      assertThatThrownBy(() -> r.secret("KEY", VersionSelector.id("9"))).isInstanceOf(SecretNotFoundException.class);
    }
  }
}
