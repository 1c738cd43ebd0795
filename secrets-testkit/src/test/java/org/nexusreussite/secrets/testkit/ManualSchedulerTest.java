package org.nexusreussite.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void runsTasksAtTheirDueTimeInOrderWhenAdvanced() {
    List<String> ran = new ArrayList<>();
    List<Instant> at = new ArrayList<>();
    Instant start = clock.instant();
    scheduler.schedule(() -> { ran.add("b"); at.add(clock.instant()); }, Duration.ofSeconds(20));
    scheduler.schedule(() -> { ran.add("a"); at.add(clock.instant()); }, Duration.ofSeconds(10));
    assertThat(scheduler.runDue()).isZero();
    assertThat(scheduler.advance(Duration.ofSeconds(15))).isEqualTo(1);
    assertThat(scheduler.advance(Duration.ofSeconds(15))).isEqualTo(1);
    assertThat(ran).containsExactly("a", "b");
    assertThat(at).containsExactly(start.plusSeconds(10), start.plusSeconds(20));
    assertThat(clock.instant()).isEqualTo(start.plusSeconds(30));
  }

  @Test
  void tasksScheduledByTasksRunWhenTheyFallDueWithinTheAdvance() {
    List<Instant> at = new ArrayList<>();
    Runnable[] again = new Runnable[1];
    again[0] = () -> {
      at.add(clock.instant());
      scheduler.schedule(again[0], Duration.ofMinutes(1));
    };
    scheduler.schedule(again[0], Duration.ofMinutes(1));
    scheduler.advance(Duration.ofMinutes(3));
    assertThat(at).hasSize(3);
    assertThat(scheduler.pending()).isEqualTo(1);
  }

  @Test
  void cancelledTasksDoNotRun() {
    List<String> ran = new ArrayList<>();
    var task = scheduler.schedule(() -> ran.add("x"), Duration.ofSeconds(1));
    task.cancel();
    scheduler.execute(() -> ran.add("now"));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("now");
  }
}
