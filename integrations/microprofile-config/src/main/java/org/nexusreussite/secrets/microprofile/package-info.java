/**
 * MicroProfile Config integration: {@link org.nexusreussite.secrets.microprofile.SecretsConfigSourceFactory}
 * serves {@code ${KEY}} placeholders and {@code @ConfigProperty} values through the SDK's resolver.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.microprofile;

import org.jspecify.annotations.NullMarked;
