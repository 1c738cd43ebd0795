/**
 * A Log4j2 application whose logs never show a served secret, shaded into one jar.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.examples.logredaction;

import org.jspecify.annotations.NullMarked;
