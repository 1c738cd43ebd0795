/**
 * Checks of this repository's documents used by its own tests; unpublished.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.buildsupport;

import org.jspecify.annotations.NullMarked;
