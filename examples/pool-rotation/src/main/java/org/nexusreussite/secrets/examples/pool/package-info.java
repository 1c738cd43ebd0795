/**
 * The pool rotation example: a HikariCP pool bound to rotating credentials keeps serving queries.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.examples.pool;

import org.jspecify.annotations.NullMarked;
