/**
 * The backend SPI: providers found with {@code ServiceLoader}, backends, the context they are built with.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.spi;

import org.jspecify.annotations.NullMarked;
