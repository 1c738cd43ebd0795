/**
 * Helpers for backend authors, so that every backend applies the same rules in the same way: sources
 * searched in order with the first holder winning ({@link org.nexusreussite.secrets.spi.support.OrderedSources}),
 * stores that keep only the current value ({@link org.nexusreussite.secrets.spi.support.CurrentVersionOnly}),
 * the randomized delays of retries and renewals ({@link org.nexusreussite.secrets.spi.support.Jitter}),
 * redaction of credentials in store addresses ({@link org.nexusreussite.secrets.spi.support.Addresses}),
 * and scrubbing of store text from exception causes ({@link org.nexusreussite.secrets.spi.support.StoreCauses}).
 * Stateless and thread-safe.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.spi.support;

import org.jspecify.annotations.NullMarked;
