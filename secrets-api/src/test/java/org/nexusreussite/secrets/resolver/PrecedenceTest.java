package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendAuthenticationException;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class PrecedenceTest {

  private final ResolverFixture f = new ResolverFixture();

  @Test
  void higherOrdinalWins() {
    InMemorySecretBackend low = f.backend("low");
    InMemorySecretBackend high = f.backend("high");
    low.put("DATABASE_URL", "from-low");
    high.put("DATABASE_URL", "from-high");
    try (SecretResolver r = f.builder().backend(low, 100).backend(high, 300).build()) {
      assertThat(r.resolve("DATABASE_URL")).isEqualTo("from-high");
      assertThat(r.secret("DATABASE_URL").backend()).isEqualTo("high");
    }
  }

  @Test
  void aKeyOnlyInALowerBackendIsFoundThere() {
    InMemorySecretBackend low = f.backend("low");
    InMemorySecretBackend high = f.backend("high");
    low.put("REDIS_URL", "from-low");
    try (SecretResolver r = f.builder().backend(low, 100).backend(high, 300).build()) {
      assertThat(r.resolve("REDIS_URL")).isEqualTo("from-low");
      assertThat(high.fetchCount("REDIS_URL")).isEqualTo(1);
    }
  }

  @Test
  void tiesAreBrokenByIdWhateverTheRegistrationOrder() {
    InMemorySecretBackend beta = f.backend("beta");
    InMemorySecretBackend alpha = f.backend("alpha");
    beta.put("KEY", "from-beta");
    alpha.put("KEY", "from-alpha");
    try (SecretResolver r = f.builder().backend(beta, 300).backend(alpha, 300).build()) {
      assertThat(r.resolve("KEY")).isEqualTo("from-alpha");
      assertThat(r.inspect().describe().backends()).extracting(ResolverDescription.BackendDescription::id)
          .containsExactly("alpha", "beta");
    }
  }

  @Test
  void anUnreachableBackendNeverFallsThroughToALowerOne() {
    InMemorySecretBackend dotenv = f.backend("dotenv");
    InMemorySecretBackend vault = f.backend("vault");
    dotenv.put("DATABASE_URL", "developer-laptop-value");
    vault.failNext(1);
    try (SecretResolver r = f.builder().backend(dotenv, 100).backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.resolve("DATABASE_URL")).isInstanceOf(BackendUnavailableException.class);
      assertThat(dotenv.fetchCount()).isZero();
    }
  }

  @Test
  void aDeniedBackendNeverFallsThroughEitherAndADefaultDoesNotHideIt() {
    InMemorySecretBackend dotenv = f.backend("dotenv");
    InMemorySecretBackend vault = f.backend("vault");
    dotenv.put("DATABASE_URL", "developer-laptop-value");
    vault.failNext(1, () -> new BackendAuthenticationException("vault", "Failed to authenticate with Vault"));
    try (SecretResolver r = f.builder().backend(dotenv, 100).backend(vault, 300).build()) {
      assertThatThrownBy(() -> r.resolve("DATABASE_URL", "default"))
          .isInstanceOf(BackendAuthenticationException.class);
      assertThat(dotenv.fetchCount()).isZero();
    }
  }

  @Test
  void notFoundNamesEveryBackendSearchedInOrder() {
    try (SecretResolver r = f.builder().backend(f.backend("a"), 100).backend(f.backend("b"), 200).build()) {
      assertThatThrownBy(() -> r.resolve("ABSENT"))
          .isInstanceOf(SecretNotFoundException.class)
          .hasMessageContaining("Secret 'ABSENT' not found (searched: b[in-memory], a[in-memory])");
      assertThat(r.find("ABSENT")).isEmpty();
      assertThat(r.resolve("ABSENT", "fallback")).isEqualTo("fallback");
    }
  }

  @Test
  void secretsBackendsSettingGivesTheOrderExplicitly() {
    InMemorySecretBackend a = f.backend("a");
    InMemorySecretBackend b = f.backend("b");
    a.put("KEY", "from-a");
    b.put("KEY", "from-b");
    f.settings.put("SECRETS_BACKENDS", "a,b");
    try (SecretResolver r = f.builder().backend(a, 100).backend(b, 300).build()) {
      assertThat(r.resolve("KEY")).isEqualTo("from-a");
    }
  }

  @Test
  void secretsBackendsNamingAnUnknownBackendIsAConfigurationError() {
    f.settings.put("SECRETS_BACKENDS", "vault");
    assertThatThrownBy(() -> f.builder().backend(f.backend("a"), 100).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_BACKENDS names backend 'vault'");
  }

  @Test
  void twoBackendsWithOneIdAreRefused() {
    assertThatThrownBy(() -> f.builder().backend(f.backend("a"), 100).backend(f.backend("a"), 200).build())
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("'a'");
  }

  @Test
  void describeShowsEveryProviderActiveOrNotWithItsReason() {
    SecretBackendProvider inactive = new SecretBackendProvider() {
      @Override
      public String id() {
        return "vault";
      }

      @Override
      public int defaultOrdinal() {
        return 300;
      }

      @Override
      public Activation activation(BackendContext context) {
        return Activation.inactive("VAULT_ADDR is not set");
      }

      @Override
      public SecretBackend create(BackendContext context) {
        throw new AssertionError("an inactive provider is not asked to create a backend");
      }
    };
    f.settings.put("SECRETS_VAULT_ORDINAL", "50");
    try (SecretResolver r = f.builder().provider(inactive).backend(f.backend("memory"), 300).build()) {
      assertThat(r.inspect().describe().backends()).extracting(ResolverDescription.BackendDescription::id,
              ResolverDescription.BackendDescription::active, ResolverDescription.BackendDescription::reason,
              ResolverDescription.BackendDescription::ordinal)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("memory", true, "given in code", 300),
              org.assertj.core.groups.Tuple.tuple("vault", false, "VAULT_ADDR is not set", 50));
    }
  }
}
