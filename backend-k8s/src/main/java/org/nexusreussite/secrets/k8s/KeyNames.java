package org.nexusreussite.secrets.k8s;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The name mapping between secret keys and Kubernetes data keys or file names. Kubernetes names are
 * usually lower-case with dashes ({@code database-url}) while application keys are environment-style
 * ({@code DATABASE_URL}): both mean the same key once upper-cased with {@code -} and {@code .} read as
 * {@code _}. An exact name always wins over the mapping.
 */
final class KeyNames {
  private KeyNames() {}

  /** {@code database-url}, {@code database_url}, {@code Database.Url} -> {@code DATABASE_URL}. */
  static String canonical(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** True when {@code storeName} is the same key as {@code key} under the mapping. */
  static boolean matches(String key, String storeName) {
    return canonical(key).equals(canonical(storeName));
  }

  /**
   * The spellings an application is likely to use for a store name, for change notifications: the
   * name itself, {@code DATABASE_URL}, {@code database-url} and {@code database_url}.
   */
  static Set<String> spellings(String storeName) {
    Set<String> out = new LinkedHashSet<>();
    String canonical = canonical(storeName);
    out.add(storeName);
    out.add(canonical);
    out.add(canonical.toLowerCase(Locale.ROOT).replace('_', '-'));
    out.add(canonical.toLowerCase(Locale.ROOT));
    return out;
  }
}
