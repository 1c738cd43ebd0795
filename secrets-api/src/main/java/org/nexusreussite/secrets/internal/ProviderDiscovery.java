package org.nexusreussite.secrets.internal;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/**
 * Finds providers with ServiceLoader (class path and module path) and rejects duplicate ids among them; a
 * provider given in code replaces a discovered one with the same id.
 */
final class ProviderDiscovery {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets");

  /** The source of providers given in code. */
  static final String BUILDER = "builder";

  record Found(SecretBackendProvider provider, String source) {}

  private ProviderDiscovery() {}

  static List<Found> discover(boolean useServiceLoader, ClassLoader loader, List<SecretBackendProvider> explicit) {
    Map<String, Found> byId = new LinkedHashMap<>();
    for (SecretBackendProvider p : explicit) {
      add(byId, new Found(p, BUILDER));
    }
    if (useServiceLoader) {
      ServiceLoader<SecretBackendProvider> services = loader == null
          ? ServiceLoader.load(SecretBackendProvider.class)
          : ServiceLoader.load(SecretBackendProvider.class, loader);
      for (SecretBackendProvider instance : loadAll(services)) {
        Class<?> type = instance.getClass();
        Found found = new Found(instance, sourceOf(type));
        Found existing = byId.get(instance.id());
        if (existing != null && existing.source().equals(BUILDER)) {
          // a provider given in code stands in for the discovered one (a test's fake vault, or an
          // application's own configuration of the store); only two discovered ones are a conflict
          if (existing.provider().getClass() != instance.getClass()) {
            LOG.log(System.Logger.Level.INFO, "Secrets backend provider ''{0}'' given in code ({1}) replaces {2} "
                + "found in {3}", instance.id(), existing.provider().getClass().getName(), type.getName(),
                found.source());
          }
          continue;
        }
        add(byId, found);
        LOG.log(System.Logger.Level.DEBUG, "Found secrets backend provider ''{0}'' ({1}) in {2}",
            instance.id(), type.getName(), found.source());
      }
    }
    return new ArrayList<>(byId.values());
  }

  /**
   * Every provider, instantiated. A loop over the iterator rather than {@code services.stream()}: the
   * stream machinery's first use costs every start-up a few milliseconds (issue 18).
   */
  private static List<SecretBackendProvider> loadAll(ServiceLoader<SecretBackendProvider> services) {
    List<SecretBackendProvider> all = new ArrayList<>();
    try {
      for (SecretBackendProvider p : services) {
        all.add(p);
      }
      return all;
    } catch (ServiceConfigurationError | LinkageError e) {
      throw cannotLoad(e);
    }
  }

  /**
   * A provider listed in a jar that cannot be loaded (a missing dependency, a broken jar) fails the start
   * rather than being skipped: skipping it would silently change where secrets come from.
   */
  private static BackendConfigurationException cannotLoad(Throwable e) {
    return new BackendConfigurationException("config", "A secrets backend provider on the class path could "
        + "not be loaded (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Check that the "
        + "backend's jar and its dependencies are complete, or remove the jar", e);
  }

  private static void add(Map<String, Found> byId, Found found) {
    String id = found.provider().id();
    Found existing = byId.putIfAbsent(id, found);
    if (existing != null) {
      throw new BackendConfigurationException("config", "Two secrets backend providers claim the id '" + id
          + "': " + existing.provider().getClass().getName() + " from " + existing.source() + " and "
          + found.provider().getClass().getName() + " from " + found.source()
          + ". Remove one of the jars from the class path.");
    }
  }

  static String sourceOf(Class<?> type) {
    Module module = type.getModule();
    CodeSource code = type.getProtectionDomain() == null ? null : type.getProtectionDomain().getCodeSource();
    URL location = code == null ? null : code.getLocation();
    String where = location == null ? "unknown location" : location.getPath();
    int slash = where.lastIndexOf('/', where.endsWith("/") ? where.length() - 2 : where.length());
    String shortWhere = where.endsWith(".jar") && slash >= 0 ? where.substring(slash + 1) : where;
    return module.isNamed() ? "module " + module.getName() + " (" + shortWhere + ")" : shortWhere;
  }
}
