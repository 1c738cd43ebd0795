/**
 * Log redaction, framework-free: {@link org.nexusreussite.secrets.logging.SecretRedactor} replaces every value a
 * resolver serves (and each previous value within a grace window) with {@code [secret:KEY]};
 * {@link org.nexusreussite.secrets.logging.LogRedaction} is where the Logback and Log4j2 adapters find it.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.logging;

import org.jspecify.annotations.NullMarked;
