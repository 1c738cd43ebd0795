/**
 * The resolver's implementation; not exported by the module.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.internal;

import org.jspecify.annotations.NullMarked;
