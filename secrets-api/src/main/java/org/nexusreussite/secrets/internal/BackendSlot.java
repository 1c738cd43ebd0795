package org.nexusreussite.secrets.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.spi.SecretBackend;

/** An active backend in search order, with what the resolver has seen of its health. */
final class BackendSlot {
  final SecretBackend backend;
  final String id;
  final int ordinal;
  final int index;
  final String description;
  private volatile @Nullable Instant lastSuccess;
  private volatile @Nullable Instant lastFailure;
  private volatile @Nullable String lastError;

  BackendSlot(SecretBackend backend, int ordinal, int index) {
    this.backend = backend;
    this.id = backend.id();
    this.ordinal = ordinal;
    this.index = index;
    this.description = backend.describe();
  }

  void succeeded(Instant now) {
    lastSuccess = now;
  }

  void failed(Instant now, SecretsException error) {
    lastFailure = now;
    lastError = error.getMessage();
  }

  @Nullable Instant lastSuccess() {
    return lastSuccess;
  }

  @Nullable Instant lastFailure() {
    return lastFailure;
  }

  @Nullable String lastError() {
    return lastError;
  }

  /** True when the latest call failed. */
  boolean failing() {
    Instant f = lastFailure;
    Instant s = lastSuccess;
    return f != null && (s == null || f.isAfter(s));
  }

  @Override
  public String toString() {
    return description + "@" + ordinal;
  }
}
