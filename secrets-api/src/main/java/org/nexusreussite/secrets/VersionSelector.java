package org.nexusreussite.secrets;

import java.util.Objects;

/**
 * Which version of a secret to read: {@link #latest()}, {@link #id(String)}, {@link #stage(String)} or
 * {@link #previous()}. Backends switch over the four record types.
 *
 * <pre>{@code resolver.secret("DB_PASSWORD", VersionSelector.stage("AWSPREVIOUS"))}</pre>
 */
public sealed interface VersionSelector {

  /** The current version. */
  static VersionSelector latest() {
    return Latest.INSTANCE;
  }

  /** A version by the store's id. */
  static VersionSelector id(String versionId) {
    return new ById(versionId);
  }

  /** A version by stage label (AWS {@code AWSCURRENT}, {@code AWSPREVIOUS}, {@code AWSPENDING}). */
  static VersionSelector stage(String stage) {
    return new ByStage(stage);
  }

  /** The version before the current one (AWS: {@code AWSPREVIOUS}; Vault: the newest live one before). */
  static VersionSelector previous() {
    return Previous.INSTANCE;
  }

  /** Parses {@code latest}, {@code previous}, {@code stage:NAME} or a version id. */
  static VersionSelector parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.equals("latest")) {
      return latest();
    }
    if (text.equals("previous")) {
      return previous();
    }
    if (text.startsWith("stage:")) {
      return stage(text.substring("stage:".length()));
    }
    return id(text);
  }

  /** A short form for messages and pins: {@code latest}, {@code 3}, {@code stage:AWSPREVIOUS}. */
  String describe();

  /** See {@link #latest()}. */
  final class Latest implements VersionSelector {
    private static final Latest INSTANCE = new Latest();

    private Latest() {}

    @Override
    public String describe() {
      return "latest";
    }

    @Override
    public String toString() {
      return "latest";
    }
  }

  /** See {@link #previous()}. */
  final class Previous implements VersionSelector {
    private static final Previous INSTANCE = new Previous();

    private Previous() {}

    @Override
    public String describe() {
      return "previous";
    }

    @Override
    public String toString() {
      return "previous";
    }
  }

  /** See {@link #id(String)}. */
  record ById(String versionId) implements VersionSelector {
    /** Validates the id. */
    public ById {
      if (versionId == null || versionId.isBlank()) {
        throw new IllegalArgumentException("version id must not be blank");
      }
    }

    @Override
    public String describe() {
      return versionId;
    }
  }

  /** See {@link #stage(String)}. */
  record ByStage(String stage) implements VersionSelector {
    /** Validates the stage. */
    public ByStage {
      if (stage == null || stage.isBlank()) {
        throw new IllegalArgumentException("stage must not be blank");
      }
    }

    @Override
    public String describe() {
      return "stage:" + stage;
    }
  }
}
