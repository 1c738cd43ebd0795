/**
 * Logback redaction of served secret values: converters for {@code <conversionRule>} (message, exceptions,
 * MDC) and {@link org.nexusreussite.secrets.logging.logback.RedactingPatternLayoutEncoder}, which redacts the
 * whole formatted line. All use {@link org.nexusreussite.secrets.logging.LogRedaction#redactor()}.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.logging.logback;

import org.jspecify.annotations.NullMarked;
