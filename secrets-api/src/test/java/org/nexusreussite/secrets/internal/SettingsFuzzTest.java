package org.nexusreussite.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;

/**
 * Coverage-guided fuzzing of the settings people type (issue 12, standing defences): durations
 * ({@code SECRETS_CACHE_REFRESH=5m}) and {@code SECRETS_PINS}. The normal test run replays the seed
 * corpus in {@code src/test/resources/.../SettingsFuzzTestInputs/}; {@code JAZZER_FUZZ=1} (see
 * {@code scripts/fuzz.sh}) mutates it. Kept in its own file so the resolver's owners can change the
 * parsers without touching it.
 *
 * <p>Invariants: a duration parses or is absent, never negative, never an exception; a pin list parses
 * or fails with {@link BackendConfigurationException} naming {@code SECRETS_PINS} and not quoting the
 * input (every {@code #} of the input becomes a canary that is not a valid key); one input takes well
 * under a second.
 */
class SettingsFuzzTest {
  private static final String CANARY = "c4n#ry-5e771ng";
  private static final long MAX_MILLIS = 1_000;

  @FuzzTest(maxDuration = "10m")
  void durationsParseOrAreAbsent(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    long start = System.nanoTime();
    Optional<Duration> parsed = Durations.parse(text);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MAX_MILLIS);
    parsed.ifPresent(d -> {
      assertThat(d.isNegative()).isFalse();
      assertThat(Durations.format(d)).isNotEmpty();
    });
    // the public entry point agrees, and reports a bad value by the setting's name only
    try {
      Duration d = SecretsConfig.of(Map.of("SECRETS_CACHE_REFRESH", text)).duration("SECRETS_CACHE_REFRESH",
          Duration.ofMinutes(5));
      assertThat(d).isNotNull();
    } catch (BackendConfigurationException e) {
      assertThat(parsed).isEmpty();
      assertThat(e.getMessage()).contains("SECRETS_CACHE_REFRESH");
      if (!text.isBlank() && text.strip().length() > 3) {
        assertThat(e.getMessage()).doesNotContain(text.strip());
      }
    }
  }

  @FuzzTest(maxDuration = "10m")
  void pinsParseOrNameTheSettingWithoutQuotingIt(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString().replace("#", CANARY);
    long start = System.nanoTime();
    try {
      Map<String, VersionSelector> pins =
          Assembly.parsePins(SecretsConfig.of(Map.of("SECRETS_PINS", text)).list("SECRETS_PINS"));
      pins.forEach((key, selector) -> {
        assertThat(Keys.isValid(key)).isTrue();
        assertThat(selector.describe()).isNotNull();
      });
    } catch (BackendConfigurationException e) {
      assertThat(e.getMessage()).contains("SECRETS_PINS").doesNotContain(CANARY);
    } finally {
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(MAX_MILLIS);
    }
  }
}
