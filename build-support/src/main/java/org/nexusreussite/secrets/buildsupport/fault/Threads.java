package org.nexusreussite.secrets.buildsupport.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Thread counts for "no thread leak" checks. */
public final class Threads {
  private Threads() {}

  /** Live threads now. */
  public static int live() {
    return Thread.getAllStackTraces().size();
  }

  /**
   * Waits (collecting garbage, since HTTP clients end their selector threads when collected) until at most
   * {@code max} threads are live, and returns the count; the names of the live threads are in the message of
   * the assertion a caller makes on it.
   */
  public static int settleTo(int max, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    int now = live();
    while (now > max && System.nanoTime() < end) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      now = live();
    }
    return now;
  }

  /** The names of the live threads, for failure messages. */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    Thread.getAllStackTraces().keySet().forEach(t -> out.add(t.getName()));
    out.sort(null);
    return out;
  }
}
