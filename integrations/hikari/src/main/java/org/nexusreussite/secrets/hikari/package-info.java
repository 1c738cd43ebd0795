/**
 * HikariCP integration: {@link org.nexusreussite.secrets.hikari.HikariCredentialRotation} binds a pool to
 * a pair of credential keys and swaps them on rotation without failing a query.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.hikari;

import org.jspecify.annotations.NullMarked;
