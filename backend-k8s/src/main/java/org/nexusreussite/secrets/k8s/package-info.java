/**
 * The Kubernetes backend: mounted Secret volumes read by kubelet generation, or Secrets read through the API server.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.k8s;

import org.jspecify.annotations.NullMarked;
