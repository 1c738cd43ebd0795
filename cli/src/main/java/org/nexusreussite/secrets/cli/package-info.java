/**
 * The {@code secrets} command line: get, list, check, doctor, exec, versions, rollback and explain over the resolver.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.cli;

import org.jspecify.annotations.NullMarked;
