package org.nexusreussite.secrets.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.ResolverDescription.BackendDescription;
import org.nexusreussite.secrets.ResolverPlan;
import org.nexusreussite.secrets.ResolverPlan.PlannedBackend;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretResolverBuilder;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/** The plan tools such as {@code secrets doctor} show and the resolver built from the same builder agree. */
class AssemblyPlanTest {

  private final Map<String, String> settings = new HashMap<>();

  private SecretResolverBuilder builder() {
    return SecretResolver.builder().config(SecretsConfig.of(settings))
        .provider(new Provider("alpha", 100, true))
        .provider(new Provider("beta", 300, true))
        .provider(new Provider("gamma", 200, true))
        .provider(new Provider("off", 250, false));
  }

  private static List<Object> activeOrder(ResolverPlan plan) {
    List<Object> out = new ArrayList<>();
    plan.backends().stream().filter(PlannedBackend::active).forEach(b -> out.add(b.id() + "@" + b.ordinal()));
    return out;
  }

  private static List<Object> activeOrder(SecretResolver resolver) {
    List<Object> out = new ArrayList<>();
    resolver.inspect().describe().backends().stream().filter(BackendDescription::active)
        .forEach(b -> out.add(b.id() + "@" + b.ordinal()));
    return out;
  }

  @Test
  void planAndResolverAgreeOnOrdinalOrder() {
    ResolverPlan plan = builder().plan();

    assertThat(activeOrder(plan)).containsExactly("beta@300", "gamma@200", "alpha@100");
    try (SecretResolver resolver = builder().build()) {
      assertThat(activeOrder(resolver)).isEqualTo(activeOrder(plan));
    }
  }

  @Test
  void planAndResolverAgreeUnderSecretsBackends() {
    settings.put("SECRETS_BACKENDS", "alpha,gamma");

    ResolverPlan plan = builder().plan();

    assertThat(activeOrder(plan)).containsExactly("alpha@1000", "gamma@999");
    assertThat(plan.backends()).filteredOn(b -> !b.active()).extracting(PlannedBackend::id, PlannedBackend::reason)
        .containsExactly(tuple("beta", "not listed in SECRETS_BACKENDS (active in test)"),
            tuple("off", "inactive in test"));
    try (SecretResolver resolver = builder().build()) {
      assertThat(activeOrder(resolver)).isEqualTo(activeOrder(plan));
    }
  }

  @Test
  void anOrdinalSettingOfADottedIdUsesUnderscores() {
    settings.put("SECRETS_MY_STORE_ORDINAL", "500");
    SecretResolverBuilder b = builder().provider(new Provider("my.store", 50, true));

    ResolverPlan plan = b.plan();

    assertThat(activeOrder(plan)).first().isEqualTo("my.store@500");
    try (SecretResolver resolver = b.build()) {
      assertThat(activeOrder(resolver)).isEqualTo(activeOrder(plan));
    }
  }

  @Test
  void aPlanReportsWhatBuildWouldRefuseWithoutThrowing() {
    settings.put("SECRETS_BACKENDS", "alpha,vault,off");

    ResolverPlan plan = builder().plan();

    assertThat(plan.problems()).containsExactly(
        "SECRETS_BACKENDS names backend 'vault', which is not on the classpath (available: alpha, beta, gamma, off)",
        "SECRETS_BACKENDS names backend 'off', which is not active: inactive in test");
    assertThat(activeOrder(plan)).containsExactly("alpha@1000");
    assertThatThrownBy(() -> builder().build()).isInstanceOf(BackendConfigurationException.class)
        .hasMessage(plan.problems().get(0));
  }

  @Test
  void aPlannedBackendIsCreatedAsTheResolverWould() {
    ResolverPlan plan = builder().plan();
    PlannedBackend gamma = plan.backends().stream().filter(b -> b.id().equals("gamma")).findFirst().orElseThrow();
    PlannedBackend off = plan.backends().stream().filter(b -> b.id().equals("off")).findFirst().orElseThrow();

    try (SecretBackend backend = gamma.create((task, delay) -> () -> { })) {
      assertThat(backend.fetch("KEY", VersionSelector.latest())).map(s -> s.value().reveal()).contains("from gamma");
    }
    assertThatThrownBy(() -> off.create((task, delay) -> () -> { }))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("'off' is not active");
  }

  @Test
  void aBackendGivenInCodeReplacesADiscoveredProviderWithTheSameId() {
    settings.put("ONLY_IN_ENV", "from env");
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(settings)).discover()
        .backend(new Fixed("env", "given"), 400).build()) {

      assertThat(resolver.resolve("KEY")).isEqualTo("from given");
      assertThat(resolver.find("ONLY_IN_ENV")).as("the discovered env backend is not searched").isEmpty();
      assertThat(resolver.inspect().describe().backends()).filteredOn(b -> b.id().equals("env"))
          .extracting(BackendDescription::source).containsExactly("builder");
    }
  }

  @Test
  void aProviderGivenInCodeReplacesADiscoveredOneWithTheSameId() {
    try (SecretResolver resolver = SecretResolver.builder().config(SecretsConfig.of(settings)).discover()
        .provider(new Provider("env", 400, true)).build()) {

      assertThat(resolver.resolve("KEY")).isEqualTo("from env");
      assertThat(resolver.inspect().describe().backends()).filteredOn(b -> b.id().equals("env"))
          .extracting(BackendDescription::source).containsExactly("builder");
    }
  }

  @Test
  void twoBackendsGivenInCodeWithOneIdAreStillRefused() {
    assertThatThrownBy(() -> SecretResolver.builder().config(SecretsConfig.of(settings))
        .backend(new Fixed("a", "1"), 1).backend(new Fixed("a", "2"), 2).build())
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("claim the id 'a'");
  }

  /** A provider whose backend serves KEY = "from &lt;id&gt;". */
  private record Provider(String id, int defaultOrdinal, boolean on) implements SecretBackendProvider {
    @Override
    public Activation activation(BackendContext context) {
      return on ? Activation.active("active in test") : Activation.inactive("inactive in test");
    }

    @Override
    public SecretBackend create(BackendContext context) {
      return new Fixed(id, id);
    }
  }

  private record Fixed(String id, String tag) implements SecretBackend {
    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      return key.equals("KEY")
          ? Optional.of(Secret.of(key, SecretValue.of("from " + tag), SecretVersion.of("1"), id,
              java.time.Instant.EPOCH))
          : Optional.empty();
    }
  }
}
