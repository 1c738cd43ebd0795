/**
 * A JWT key ring over one secret: {@link org.nexusreussite.secrets.jwt.KeyRing#current()} signs,
 * {@link org.nexusreussite.secrets.jwt.KeyRing#verificationKeys()} verifies with the current key and the
 * previous ones still inside the grace window. Adapters: {@link org.nexusreussite.secrets.jwt.NimbusKeyRing}
 * (nimbus-jose-jwt {@code JWKSource}, also what Spring Security's decoders take) and
 * {@link org.nexusreussite.secrets.jwt.JjwtKeyRing} (jjwt {@code Locator<Key>}).
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.jwt;

import org.jspecify.annotations.NullMarked;
