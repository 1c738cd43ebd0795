package org.nexusreussite.secrets;

/** Where a rollback takes effect. */
public enum RollbackScope {
  /** This resolver only: it pins the previous version; other processes are not affected. */
  LOCAL,
  /** The store itself: the previous version becomes current for every reader. */
  BACKEND
}
