/**
 * Log4j2 redaction of served secret values: the {@code %redact{...}} pattern converter
 * ({@link org.nexusreussite.secrets.logging.log4j2.RedactingPatternConverter}) and the
 * {@code <SecretRedactionPolicy/>} rewrite policy
 * ({@link org.nexusreussite.secrets.logging.log4j2.SecretRedactionPolicy}). Both use
 * {@link org.nexusreussite.secrets.logging.LogRedaction#redactor()}.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.logging.log4j2;

import org.jspecify.annotations.NullMarked;
