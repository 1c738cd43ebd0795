/**
 * The Vault / OpenBao backend: KV v1 and v2 reads, token, AppRole and Kubernetes authentication, rollback through KV v2 versions.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.vault;

import org.jspecify.annotations.NullMarked;
