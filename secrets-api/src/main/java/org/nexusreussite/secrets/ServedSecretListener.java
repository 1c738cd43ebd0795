package org.nexusreussite.secrets;

/**
 * Told of the values a resolver serves, registered with {@link SecretResolver#onServe}: for tools that
 * must know the values themselves, such as log redaction, which has to recognise a value it never saw
 * rotate (a first serve is not a rotation).
 *
 * <p>Called once for each value served when the listener registers, then each time the resolver writes
 * a servable entry: a first load, a group read, a rotation, a pin or rollback, and also a refresh that
 * found the same value (so the listener must treat a repeated secret as no change). Not called on cache
 * hits, which stay free of callbacks. Versions fetched explicitly with
 * {@link SecretResolver#secret(String, VersionSelector)} are not cached and not reported.
 *
 * <p>Called on the thread that wrote the entry (a reader on a miss, a refresh thread, the caller of pin
 * or rollback), before that read returns the value: return quickly and do not call back into the
 * resolver. An exception thrown here is logged (type only) and ignored. Implementations hold values:
 * they must never print them.
 */
@FunctionalInterface
public interface ServedSecretListener {
  /** The resolver now serves {@code secret} for {@code secret.key()}. */
  void onServed(Secret secret);
}
