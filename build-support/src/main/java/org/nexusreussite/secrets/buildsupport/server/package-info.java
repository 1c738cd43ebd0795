/**
 * Launchers of the local test servers (OpenBao, moto, Toxiproxy) installed under {@code .tools}; unpublished.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.buildsupport.server;

import org.jspecify.annotations.NullMarked;
