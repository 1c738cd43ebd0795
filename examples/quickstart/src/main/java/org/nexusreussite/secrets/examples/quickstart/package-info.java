/**
 * The quickstart example: an application reading its settings through the resolver.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.examples.quickstart;

import org.jspecify.annotations.NullMarked;
