package org.nexusreussite.secrets.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The skip filter plus DFA against a naive search: same characters covered, on texts built to collide. */
class ValueMatcherTest {

  @Test
  void findsExactlyWhatANaiveSearchFinds() {
    Random random = new Random(20261202);
    for (int round = 0; round < 2000; round++) {
      String alphabet = round % 3 == 0 ? "ab" : round % 3 == 1 ? "abc-" : "abcdefghijklmnopqrstuvwxyz0123456789 é";
      int minLength = round % 2 == 0 ? 8 : 4;
      List<ValueMatcher.Pattern> patterns = new ArrayList<>();
      int count = 1 + random.nextInt(round % 5 == 0 ? 40 : 5);
      for (int i = 0; i < count; i++) {
        patterns.add(new ValueMatcher.Pattern(random(random, alphabet, minLength + random.nextInt(12)), "K" + i));
      }
      patterns = patterns.stream().distinct().toList();
      // texts made of the values' pieces and noise, so candidates, partial matches and overlaps are common
      StringBuilder text = new StringBuilder();
      while (text.length() < 300) {
        String v = patterns.get(random.nextInt(patterns.size())).value();
        switch (random.nextInt(4)) {
          case 0 -> text.append(v);
          case 1 -> text.append(v, 0, 1 + random.nextInt(v.length() - 1));
          case 2 -> text.append(v, random.nextInt(v.length() - 1), v.length());
          default -> text.append(random(random, alphabet, 1 + random.nextInt(10)));
        }
      }
      int from = random.nextInt(5);
      ValueMatcher m = new ValueMatcher(dedup(patterns));
      int[] found = m.find(text, from, text.length());
      boolean[] covered = new boolean[text.length()];
      for (int i = 0; i < found.length; i += 3) {
        for (int j = found[i]; j < found[i + 1]; j++) {
          covered[j] = true;
        }
      }
      boolean[] expected = new boolean[text.length()];
      String t = text.toString();
      for (ValueMatcher.Pattern p : patterns) {
        for (int at = t.indexOf(p.value(), from); at >= 0; at = t.indexOf(p.value(), at + 1)) {
          for (int j = at; j < at + p.value().length(); j++) {
            expected[j] = true;
          }
        }
      }
      assertThat(covered).as("round %d: %s in %s", round, patterns.size(), t).isEqualTo(expected);
    }
  }

  @Test
  void emptyMatcherFindsNothing() {
    assertThat(ValueMatcher.EMPTY.find("anything at all", 0, 15)).isSameAs(ValueMatcher.NONE);
  }

  private static List<ValueMatcher.Pattern> dedup(List<ValueMatcher.Pattern> patterns) {
    List<String> seen = new ArrayList<>();
    List<ValueMatcher.Pattern> out = new ArrayList<>();
    for (ValueMatcher.Pattern p : patterns) {
      if (!seen.contains(p.value())) {
        seen.add(p.value());
        out.add(p);
      }
    }
    return out;
  }

  private static String random(Random random, String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
