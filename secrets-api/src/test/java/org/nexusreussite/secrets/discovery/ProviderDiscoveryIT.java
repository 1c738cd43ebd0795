package org.nexusreussite.secrets.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.ResolverDescription;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * Providers shipped in their own jars are found by ServiceLoader on the class path and on the module
 * path; two jars claiming one id fail fast naming both.
 */
class ProviderDiscoveryIT {

  private final Path api = ProviderJars.locationOf(SecretResolver.class);
  private final Path caffeine = ProviderJars.locationOf(Caffeine.class);

  private Path providerJar(Path dir, String name, String className, String id, String value) throws IOException {
    Path classes = ProviderJars.compile(dir.resolve(name),
        Map.of("test/" + className + ".java", ProviderJars.providerSource("test", className, id, "GREETING", value)),
        List.of(api), false);
    return ProviderJars.jar(classes, dir.resolve(name + ".jar"), "test." + className);
  }

  @Test
  void aProviderJarOnTheClassPathIsDiscoveredAndDescribed(@TempDir Path dir) throws Exception {
    Path jar = providerJar(dir, "acme-backend", "AcmeProvider", "acme", "hello from acme");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader());
        SecretResolver r = SecretResolver.builder().config(SecretsConfig.of(Map.of("PATH_LIKE", "x")))
            .discover(loader).build()) {
      assertThat(r.resolve("GREETING")).isEqualTo("hello from acme");
      assertThat(r.secret("GREETING").backend()).isEqualTo("acme");
      ResolverDescription.BackendDescription acme = r.inspect().describe().backends().stream()
          .filter(b -> b.id().equals("acme")).findFirst().orElseThrow();
      assertThat(acme.active()).isTrue();
      assertThat(acme.reason()).isEqualTo("compiled in a test");
      assertThat(acme.source()).isEqualTo("acme-backend.jar");
      assertThat(r.inspect().describe().backends()).extracting(ResolverDescription.BackendDescription::id)
          .containsExactly("env", "acme");
    }
  }

  @Test
  void twoJarsClaimingOneIdFailFastNamingBoth(@TempDir Path dir) throws Exception {
    Path first = providerJar(dir, "vault-backend-1.0", "FirstProvider", "dup", "one");
    Path second = providerJar(dir, "vault-backend-2.0", "SecondProvider", "dup", "two");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {first.toUri().toURL(), second.toUri().toURL()},
        getClass().getClassLoader())) {
      assertThatThrownBy(() -> SecretResolver.builder().config(SecretsConfig.empty()).discover(loader).build())
          .isInstanceOf(BackendConfigurationException.class)
          .hasMessageContaining("Two secrets backend providers claim the id 'dup'")
          .hasMessageContaining("test.FirstProvider from vault-backend-1.0.jar")
          .hasMessageContaining("test.SecondProvider from vault-backend-2.0.jar");
    }
  }

  @Test
  void providersAreDiscoveredOnTheModulePath(@TempDir Path dir) throws Exception {
    String moduleInfo = """
        module test.provider {
          requires org.nexusreussite.secrets;
          provides org.nexusreussite.secrets.spi.SecretBackendProvider with test.ModularProvider;
        }
        """;
    String main = """
        package test;

        import java.util.Map;
        import org.nexusreussite.secrets.SecretResolver;
        import org.nexusreussite.secrets.SecretsConfig;

        public final class Main {
          public static void main(String[] args) {
            try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.of(Map.of())).discover().build()) {
              System.out.println("served-by=" + r.secret("GREETING").backend());
              System.out.println("module=" + SecretResolver.class.getModule().getName());
              r.inspect().describe().backends().forEach(b -> System.out.println("backend=" + b.id() + " " + b.source()));
            }
          }
        }
        """;
    Path classes = ProviderJars.compile(dir, Map.of(
        "module-info.java", moduleInfo,
        "test/ModularProvider.java", ProviderJars.providerSource("test", "ModularProvider", "modular", "GREETING",
            "hello from a module"),
        "test/Main.java", main), List.of(api, caffeine), true);
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", ProviderJars.join(List.of(api, caffeine, classes)),
        "-m", "test.provider/test.Main")
        .redirectErrorStream(true).start();
    String output;
    try (var in = java.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(output).isZero();
    assertThat(output).contains("served-by=modular")
        .contains("module=org.nexusreussite.secrets")
        .contains("backend=env module org.nexusreussite.secrets")
        .contains("backend=modular module test.provider");
  }

  @Test
  void aProviderThatCannotBeLoadedFailsTheStartNamingIt(@TempDir Path dir) throws Exception {
    Path classes = java.nio.file.Files.createDirectories(dir.resolve("broken"));
    Path jar = ProviderJars.jar(classes, dir.resolve("broken-backend.jar"), "test.MissingProvider");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> SecretResolver.builder().config(SecretsConfig.empty()).discover(loader).build())
          .isInstanceOf(BackendConfigurationException.class)
          .hasMessageContaining("could not be loaded")
          .hasMessageContaining("test.MissingProvider");
    }
  }
}
