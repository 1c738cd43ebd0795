package org.nexusreussite.secrets;

/**
 * A registered listener; {@link #close()} removes it. Unlike a raw {@link AutoCloseable}, closing throws
 * nothing, so it fits a try-with-resources block or a framework's shutdown hook without a catch.
 * Thread-safe and idempotent.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  /** Removes the listener; it is called no more once this returns. Idempotent, throws nothing. */
  @Override
  void close();
}
