/**
 * Test support for applications and backend authors: an in-memory backend, a manual clock and scheduler, a backend context, and the backend contract test.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.testkit;

import org.jspecify.annotations.NullMarked;
