/**
 * Internals of the Vault backend (HTTP calls with deadlines and size caps, the token session); not a public API.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.vault.internal;

import org.jspecify.annotations.NullMarked;
