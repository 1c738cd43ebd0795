package org.nexusreussite.secrets.spring;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretsConfig;
import org.springframework.boot.context.config.ConfigDataResource;

/**
 * What {@code spring.config.import=nexus-secrets:} resolved to: the SDK settings and profile read from the
 * Spring environment, plus the location's options. One per application (equal to every other), so a second
 * import of the same location adds nothing.
 */
final class SecretsConfigDataResource extends ConfigDataResource {
  private final SecretsConfig settings;
  private final @Nullable String profile;
  private final List<String> required;
  private final List<String> skippedPrefixes;
  private final Map<String, String> springEntries;

  SecretsConfigDataResource(boolean optional, SecretsConfig settings, @Nullable String profile,
      List<String> required, List<String> skippedPrefixes, Map<String, String> springEntries) {
    super(optional);
    this.springEntries = Map.copyOf(springEntries);
    this.settings = settings;
    this.profile = profile;
    this.required = List.copyOf(required);
    this.skippedPrefixes = List.copyOf(skippedPrefixes);
  }

  SecretsConfig settings() {
    return settings;
  }

  @Nullable String profile() {
    return profile;
  }

  List<String> required() {
    return required;
  }

  List<String> skippedPrefixes() {
    return skippedPrefixes;
  }

  /** The settings Spring's properties gave when the import was resolved (see SpringSettings#requireUnchanged). */
  Map<String, String> springEntries() {
    return springEntries;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SecretsConfigDataResource other && Objects.equals(profile, other.profile)
        && required.equals(other.required);
  }

  @Override
  public int hashCode() {
    return Objects.hash(profile, required);
  }

  @Override
  public String toString() {
    return SecretsConfigDataLocationResolver.PREFIX
        + (required.isEmpty() ? "" : "required=" + String.join(",", required));
  }
}
