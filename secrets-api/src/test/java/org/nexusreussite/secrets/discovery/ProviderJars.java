package org.nexusreussite.secrets.discovery;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles small backend providers from source at test time and packs them as jars, as a user would ship one. */
final class ProviderJars {

  private ProviderJars() {}

  /** The Java source of a provider whose backend serves {@code key=value}, always active. */
  static String providerSource(String pkg, String className, String id, String key, String value) {
    return """
        package %1$s;

        import java.util.Map;
        import java.util.Optional;
        import java.util.Set;
        import org.nexusreussite.secrets.Secret;
        import org.nexusreussite.secrets.SecretValue;
        import org.nexusreussite.secrets.SecretVersion;
        import org.nexusreussite.secrets.VersionSelector;
        import org.nexusreussite.secrets.spi.Activation;
        import org.nexusreussite.secrets.spi.BackendContext;
        import org.nexusreussite.secrets.spi.Capability;
        import org.nexusreussite.secrets.spi.SecretBackend;
        import org.nexusreussite.secrets.spi.SecretBackendProvider;

        public final class %2$s implements SecretBackendProvider {
          public String id() { return "%3$s"; }
          public int defaultOrdinal() { return 300; }
          public Activation activation(BackendContext context) { return Activation.active("compiled in a test"); }
          public SecretBackend create(BackendContext context) {
            return new SecretBackend() {
              public String id() { return "%3$s"; }
              public Set<Capability> capabilities() { return Set.of(); }
              public Optional<Secret> fetch(String key, VersionSelector version) {
                if (!key.equals("%4$s")) return Optional.empty();
                SecretValue value = SecretValue.of("%5$s");
                return Optional.of(Secret.of(key, value, SecretVersion.ofContent(value), "%3$s",
                    context.clock().instant()));
              }
            };
          }
        }
        """.formatted(pkg, className, id, key, value);
  }

  /**
   * Compiles {@code sources} (path relative to the source root -> text) against {@code classPath} or,
   * when {@code modulePath} is true, against it as a module path; returns the classes folder.
   */
  static Path compile(Path workDir, Map<String, String> sources, List<Path> dependencies, boolean modulePath)
      throws IOException {
    Path src = workDir.resolve("src");
    Path classes = workDir.resolve("classes");
    Files.createDirectories(classes);
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--release", "17",
        modulePath ? "--module-path" : "-classpath", join(dependencies)));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue(), StandardCharsets.UTF_8);
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.StringWriter errors = new java.io.StringWriter();
    int status = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        errors.write(b);
      }
    }, true), args.toArray(String[]::new));
    if (status != 0) {
      throw new IllegalStateException("javac failed: " + errors);
    }
    return classes;
  }

  /** Packs {@code classes} into {@code jar} with a service registration for {@code providerClass}. */
  static Path jar(Path classes, Path jar, String providerClass) throws IOException {
    Path services = classes.resolve("META-INF/services/org.nexusreussite.secrets.spi.SecretBackendProvider");
    Files.createDirectories(services.getParent());
    Files.writeString(services, providerClass + "\n");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, jarOut);
        jarOut.closeEntry();
      }
    }
    return jar;
  }

  /** Where a class was loaded from (a jar or a classes folder). */
  static Path locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String join(List<Path> paths) {
    return String.join(java.io.File.pathSeparator, paths.stream().map(Path::toString).toList());
  }
}
