package org.nexusreussite.secrets.spi;

import java.util.Locale;

/** What a backend can do beyond reading the current value. */
public enum Capability {
  /** Keeps history: {@code versions(key)} and fetch by version id, stage or previous. */
  VERSIONS,
  /** Can list the keys it holds. */
  LISTING,
  /** Can make an older version current for every reader. */
  ROLLBACK,
  /** Pushes change notifications (file watch, Kubernetes watch). */
  WATCH,
  /** Can write new versions with optimistic concurrency: {@link SecretBackend#write}. */
  WRITE;

  /** A phrase for messages, e.g. "versions (VERSIONS)". */
  public String describe() {
    return name().toLowerCase(Locale.ROOT) + " (" + name() + ")";
  }
}
