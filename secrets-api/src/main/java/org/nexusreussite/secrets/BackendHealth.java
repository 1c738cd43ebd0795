package org.nexusreussite.secrets;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A backend's health as the resolver sees it: {@link Status#UP}, {@link Status#DEGRADED} (failing, stale
 * values served within max-stale) or {@link Status#DOWN} (failing, nothing left to serve), with the last
 * error's message and the last success. Messages never contain values. Immutable.
 */
public final class BackendHealth {
  /** Health states. */
  public enum Status {
    /** Answering. */
    UP,
    /** Failing; cached values are served within max-stale. */
    DEGRADED,
    /** Failing, and nothing cached can be served. */
    DOWN,
    /** Not asked yet. */
    UNKNOWN
  }

  private final String backendId;
  private final Status status;
  private final String detail;
  private final @Nullable Instant lastSuccess;
  private final @Nullable Instant lastFailure;
  private final @Nullable String lastError;

  private BackendHealth(String backendId, Status status, String detail, @Nullable Instant lastSuccess,
      @Nullable Instant lastFailure, @Nullable String lastError) {
    this.backendId = Objects.requireNonNull(backendId, "backendId");
    this.status = Objects.requireNonNull(status, "status");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.lastSuccess = lastSuccess;
    this.lastFailure = lastFailure;
    this.lastError = lastError;
  }

  /** UP, with a detail such as "sealed=false" or "no probe". */
  public static BackendHealth up(String backendId, String detail) {
    return new BackendHealth(backendId, Status.UP, detail, null, null, null);
  }

  /** DOWN, with the error's message. */
  public static BackendHealth down(String backendId, String error) {
    return new BackendHealth(backendId, Status.DOWN, error, null, null, error);
  }

  /** Any state with every attribute; {@code lastSuccess}, {@code lastFailure}, {@code lastError} may be null. */
  public static BackendHealth of(String backendId, Status status, String detail, @Nullable Instant lastSuccess,
      @Nullable Instant lastFailure, @Nullable String lastError) {
    return new BackendHealth(backendId, status, detail, lastSuccess, lastFailure, lastError);
  }

  /** The backend id. */
  public String backendId() {
    return backendId;
  }

  /** The state. */
  public Status status() {
    return status;
  }

  /** A short human detail. */
  public String detail() {
    return detail;
  }

  /** When the backend last answered. */
  public Optional<Instant> lastSuccess() {
    return Optional.ofNullable(lastSuccess);
  }

  /** When it last failed. */
  public Optional<Instant> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /** The last error's message. */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(backendId).append(": ").append(status);
    if (!detail.isEmpty()) {
      sb.append(" (").append(detail).append(')');
    }
    if (lastSuccess != null) {
      sb.append(", last success ").append(lastSuccess);
    }
    if (lastError != null && !lastError.equals(detail)) {
      sb.append(", last error: ").append(lastError);
    }
    return sb.toString();
  }
}
