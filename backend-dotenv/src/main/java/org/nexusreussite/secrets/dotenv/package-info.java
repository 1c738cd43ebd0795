/**
 * The {@code .env} file backend: files searched in order, parsed within bounds, reread when they change.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.dotenv;

import org.jspecify.annotations.NullMarked;
