package org.nexusreussite.secrets.jwt;

import java.security.Key;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretValue;

/**
 * One key of a {@link KeyRing}: its key id ({@code kid}), algorithm, the store version it came from, the
 * key to sign with and the key to verify with (the same secret key for HMAC, the private and public halves
 * for RSA), and for a retired key when it was retired and until when it still verifies.
 *
 * <p>Immutable and thread-safe. {@link #toString()} shows the key id, algorithm, version and state, never key
 * material. Do not log the key objects it hands out: the JDK's print no bytes, but {@code SecretKeySpec}'s
 * default {@code toString()} shows its {@code hashCode()}, which is computed from the key bytes (enough to
 * confirm guesses at a weak HMAC key), and a nimbus {@code JWK} built from them prints the key itself.
 */
public final class RingKey {
  private final String keyId;
  private final JwtAlgorithm algorithm;
  private final String secretKey;
  private final String versionId;
  private final String backend;
  private final Key signingKey;
  private final Key verificationKey;
  private final @Nullable Instant retiredAt;
  private final @Nullable Instant validUntil;
  // kept only to recognise the same secret again (constant-time equals); never returned
  private final SecretValue source;

  RingKey(String keyId, JwtAlgorithm algorithm, String secretKey, String versionId, String backend, Key signingKey,
      Key verificationKey, SecretValue source, @Nullable Instant retiredAt, @Nullable Instant validUntil) {
    this.keyId = Objects.requireNonNull(keyId, "keyId");
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
    this.versionId = Objects.requireNonNull(versionId, "versionId");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.verificationKey = Objects.requireNonNull(verificationKey, "verificationKey");
    this.source = Objects.requireNonNull(source, "source");
    this.retiredAt = retiredAt;
    this.validUntil = validUntil;
  }

  /** The same key, retired at {@code when}, verifying until {@code until}. */
  RingKey retire(Instant when, Instant until) {
    return new RingKey(keyId, algorithm, secretKey, versionId, backend, signingKey, verificationKey, source, when,
        until);
  }

  /** Whether this key was made from {@code value} served as {@code version} by {@code backendId}. */
  boolean sameSource(String version, String backendId, SecretValue value) {
    // a cache hit hands back the very same value object: no byte comparison on the signing path
    return versionId.equals(version) && backend.equals(backendId) && (source == value || source.equals(value));
  }

  /**
   * The key id to put in a token's {@code kid} header: 22 URL-safe characters, stable for a store version
   * (see {@link KeyRing} for how it is derived), never derived from the key material alone.
   */
  public String keyId() {
    return keyId;
  }

  /** The algorithm this key signs and verifies with. */
  public JwtAlgorithm algorithm() {
    return algorithm;
  }

  /** The store's version id of the secret this key was read from. */
  public String versionId() {
    return versionId;
  }

  /** The id of the backend that served it. */
  public String backend() {
    return backend;
  }

  /** The key to sign with: a {@code javax.crypto.SecretKey} for HMAC, an RSA {@code PrivateKey}. */
  public Key signingKey() {
    return signingKey;
  }

  /** The key to verify with: the same {@code SecretKey} for HMAC, the RSA {@code PublicKey}. */
  public Key verificationKey() {
    return verificationKey;
  }

  /** True for the key {@link KeyRing#current()} signs with. */
  public boolean current() {
    return retiredAt == null;
  }

  /** When a newer version replaced it; empty for the current key. */
  public Optional<Instant> retiredAt() {
    return Optional.ofNullable(retiredAt);
  }

  /** Until when a retired key still verifies (retired plus the grace window); empty for the current key. */
  public Optional<Instant> validUntil() {
    return Optional.ofNullable(validUntil);
  }

  /** Whether a retired key is still inside its grace window at {@code now}; always true for the current key. */
  boolean verifiesAt(Instant now) {
    return validUntil == null || now.isBefore(validUntil);
  }

  /** Key id, algorithm, version, backend and state; never key material. */
  @Override
  public String toString() {
    return "RingKey[" + keyId + ", " + algorithm + ", " + secretKey + " version " + versionId + " from " + backend
        + (retiredAt == null ? ", current" : ", retired " + retiredAt + ", verifies until " + validUntil) + "]";
  }
}
