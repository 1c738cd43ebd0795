package org.nexusreussite.secrets.spi;

/**
 * What a backend's version ids identify, which decides when the resolver reports a rotation.
 *
 * <p>A Vault KV path, an AWS JSON secret or a kubelet volume versions all its keys together: a write that
 * changes one field moves the version of every field, so for those ({@link #SOURCE}) only a change of the
 * key's value counts as its rotation. AWS with one secret per key and Azure Key Vault version each key on
 * its own ({@link #KEY}): a new version of the key is its rotation even when the value is unchanged.
 */
public enum VersionScope {
  /** One version id per key: a new version of the key is a rotation. */
  KEY,
  /** Version ids shared by every key of a source: only a changed value is a rotation. */
  SOURCE
}
