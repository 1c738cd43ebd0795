/**
 * The Azure Key Vault backend: secrets by name and version, bounded HTTP answers and retries.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.azure;

import org.jspecify.annotations.NullMarked;
