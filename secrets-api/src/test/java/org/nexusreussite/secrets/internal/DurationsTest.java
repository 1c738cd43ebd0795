package org.nexusreussite.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesShortAndIsoForms() {
    assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).contains(Duration.ofMinutes(5));
    assertThat(Durations.parse(" 1h ")).contains(Duration.ofHours(1));
    assertThat(Durations.parse("2d")).contains(Duration.ofDays(2));
    assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
    assertThat(Durations.parse("PT1M30S")).contains(Duration.ofSeconds(90));
    assertThat(Durations.parse("pt10s")).contains(Duration.ofSeconds(10));
  }

  @Test
  void rejectsNonsenseAndNegatives() {
    assertThat(Durations.parse("soon")).isEmpty();
    assertThat(Durations.parse("-5m")).isEmpty();
    assertThat(Durations.parse("-PT5M")).isEmpty();
    assertThat(Durations.parse("5 minutes")).isEmpty();
    assertThat(Durations.parse("")).isEmpty();
  }

  @Test
  void formatsForMessages() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
