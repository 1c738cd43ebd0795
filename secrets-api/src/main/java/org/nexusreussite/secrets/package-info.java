/**
 * The user API: {@code Secrets}, {@code SecretResolver} and its {@code admin()} and {@code inspect()} views, values, versions and errors.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets;

import org.jspecify.annotations.NullMarked;
