/**
 * Faults for the fault-injection tests: Toxiproxy toxics and a misbehaving HTTP server (stall, drip, huge answers); unpublished.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.buildsupport.fault;

import org.jspecify.annotations.NullMarked;
