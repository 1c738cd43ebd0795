package org.nexusreussite.secrets.spi.support;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nexusreussite.secrets.Secret;

/**
 * The search of a backend with several sources in order (Vault paths, AWS secret ids, mounted folders,
 * Kubernetes Secret objects): each source is read at most once per call, with the keys still missing; a key
 * takes its value from the first source that holds it; the search stops when every key is found. This is
 * what makes {@link org.nexusreussite.secrets.spi.SecretBackend#fetchAll fetchAll} one consistent read per
 * source. Thread-safe (stateless).
 *
 * <pre>{@code
 * return OrderedSources.fetchAll(paths, keys, OrderedSources.Siblings.KEEP, (path, wanted) -> readPath(path));
 * }</pre>
 */
public final class OrderedSources {
  private OrderedSources() {}

  /** Whether keys a read carried but nobody asked for are returned. */
  public enum Siblings {
    /**
     * Returned, when no earlier source holds them. Only for reads that return every key their source holds
     * (a Vault path's fields, an AWS JSON secret's): then a sibling of a later source is right, since every
     * earlier source was read whole and did not hold it.
     */
    KEEP,
    /** Left out: the read answers the keys asked for only (e.g. files read one by one). */
    DROP
  }

  /** One read of one source. */
  @FunctionalInterface
  public interface SourceRead<S> {
    /**
     * The secrets {@code source} holds among {@code wanted} (more with {@link Siblings#KEEP}: then all it
     * holds), by key; empty when it holds none or does not exist.
     *
     * @throws org.nexusreussite.secrets.BackendException when the source could not be asked
     */
    Map<String, Secret> read(S source, List<String> wanted);
  }

  /**
   * Reads {@code sources} in order until every key is found.
   *
   * @return the keys found, each from the first source holding it, plus siblings with {@link Siblings#KEEP}
   * @throws org.nexusreussite.secrets.BackendException from a read: a source that cannot be asked fails the
   *     call rather than letting a later source answer for it
   */
  public static <S> Map<String, Secret> fetchAll(List<S> sources, Collection<String> keys, Siblings siblings,
      SourceRead<S> read) {
    Objects.requireNonNull(read, "read");
    Set<String> missing = new LinkedHashSet<>(keys);
    Map<String, Secret> found = new LinkedHashMap<>();
    for (S source : sources) {
      if (missing.isEmpty()) {
        break;
      }
      Map<String, Secret> got = read.read(source, List.copyOf(missing));
      for (Map.Entry<String, Secret> e : got.entrySet()) {
        if (found.containsKey(e.getKey())) {
          continue; // an earlier source holds it: first wins
        }
        if (missing.remove(e.getKey()) || siblings == Siblings.KEEP) {
          found.put(e.getKey(), e.getValue());
        }
      }
    }
    return found;
  }
}
