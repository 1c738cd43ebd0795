/**
 * The AWS Secrets Manager backend: plain and JSON secrets, version stages, bounded HTTP answers.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.aws;

import org.jspecify.annotations.NullMarked;
