package org.nexusreussite.secrets.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;

class SpiSupportTest {

  private static Map<String, Map<String, String>> stores() {
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    s.put("first", Map.of("A", "a1"));
    s.put("second", Map.of("A", "a2", "B", "b2", "C", "c2"));
    s.put("third", Map.of("D", "d3"));
    return s;
  }

  private static Secret secret(String key, String value) {
    return Secret.of(key, SecretValue.of(value), SecretVersion.of("1"), "test", Instant.EPOCH);
  }

  /** A read that returns everything its source holds, and records which sources were read. */
  private static OrderedSources.SourceRead<String> wholeRead(Map<String, Map<String, String>> stores,
      List<String> reads) {
    return (source, wanted) -> {
      reads.add(source + wanted);
      Map<String, Secret> out = new LinkedHashMap<>();
      stores.get(source).forEach((k, v) -> out.put(k, secret(k, v)));
      return out;
    };
  }

  private static Map<String, String> values(Map<String, Secret> found) {
    Map<String, String> out = new LinkedHashMap<>();
    found.forEach((k, s) -> out.put(k, s.reveal()));
    return out;
  }

  @Test
  void theFirstSourceHoldingAKeyWinsAndEachSourceIsReadOnceWithTheKeysStillMissing() {
    List<String> reads = new ArrayList<>();

    Map<String, Secret> found = OrderedSources.fetchAll(List.copyOf(stores().keySet()), List.of("A", "B", "X"),
        OrderedSources.Siblings.DROP, wholeRead(stores(), reads));

    assertThat(values(found)).containsExactly(Map.entry("A", "a1"), Map.entry("B", "b2"));
    assertThat(reads).containsExactly("first[A, B, X]", "second[B, X]", "third[X]");
  }

  @Test
  void theSearchStopsOnceEveryKeyIsFound() {
    List<String> reads = new ArrayList<>();

    OrderedSources.fetchAll(List.copyOf(stores().keySet()), List.of("A"), OrderedSources.Siblings.DROP,
        wholeRead(stores(), reads));

    assertThat(reads).containsExactly("first[A]");
  }

  @Test
  void siblingsAreKeptOnlyWhenAskedAndNeverOverrideAnEarlierSource() {
    List<String> reads = new ArrayList<>();

    Map<String, Secret> found = OrderedSources.fetchAll(List.copyOf(stores().keySet()), List.of("B"),
        OrderedSources.Siblings.KEEP, wholeRead(stores(), reads));

    assertThat(values(found)).containsOnly(Map.entry("A", "a1"), Map.entry("B", "b2"), Map.entry("C", "c2"));
    assertThat(reads).containsExactly("first[B]", "second[B]");
  }

  @Test
  void aSourceThatCannotBeAskedFailsTheCallInsteadOfLettingALaterOneAnswer() {
    OrderedSources.SourceRead<String> read = (source, wanted) -> {
      if (source.equals("first")) {
        throw new BackendUnavailableException("test", "first is down");
      }
      return Map.of("A", secret("A", "from a later source"));
    };

    assertThatThrownBy(() -> OrderedSources.fetchAll(List.of("first", "second"), List.of("A"),
        OrderedSources.Siblings.DROP, read)).isInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void aStoreWithoutHistoryServesLatestAndItsCurrentIdOnly() {
    Secret current = Secret.of("K", SecretValue.of("v"), SecretVersion.of("content:abc"), "test", Instant.EPOCH);

    assertThat(CurrentVersionOnly.select("test", current, VersionSelector.latest(), "why")).isSameAs(current);
    assertThat(CurrentVersionOnly.select("test", current, VersionSelector.id("content:abc"), "why"))
        .isSameAs(current);
    assertThat(CurrentVersionOnly.matches(VersionSelector.previous(), current.version())).isFalse();
    assertThatThrownBy(() -> CurrentVersionOnly.select("test", current, VersionSelector.id("other"),
        "it keeps one value")).isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessageContaining("test").hasMessageContaining("it keeps one value");
  }

  @Test
  void backoffIsBetweenHalfAndAllOfTheBase() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(Jitter.backoff(Duration.ofSeconds(8))).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
    }
    assertThat(Jitter.backoff(Duration.ZERO)).isEqualTo(Duration.ZERO);
  }

  @Test
  void earlierIsNeverLaterThanTheDelayNorEarlierThanTheSpreadAllows() {
    Duration delay = Duration.ofMinutes(40);
    for (int i = 0; i < 1_000; i++) {
      assertThat(Jitter.earlier(delay, Duration.ofMinutes(6))).isBetween(Duration.ofMinutes(34), delay);
      assertThat(Jitter.earlier(delay, 0.1)).isBetween(Duration.ofMinutes(36), delay);
    }
    assertThat(Jitter.earlier(Duration.ZERO, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(1));
    assertThatThrownBy(() -> Jitter.earlier(delay, 1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
