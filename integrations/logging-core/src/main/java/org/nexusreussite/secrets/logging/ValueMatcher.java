package org.nexusreussite.secrets.logging;

import java.util.Arrays;
import java.util.List;

/**
 * Finds a fixed set of values in text: a Wu–Manber skip filter in front of an Aho–Corasick automaton
 * compiled to a dense DFA over character classes. Immutable; built once per change of the value set and
 * shared by every thread. Nothing is allocated until a value is found.
 *
 * <p>Skip filter: every value is at least {@code window} characters long, so a hash of the last
 * {@code block} characters of a window tells how far no value's first {@code window} characters can end
 * ({@code shift}); ordinary text is crossed several characters per table read. Where the shift is 0 (a
 * candidate), the DFA runs from the window's start until the partial match begun there is over, then
 * skipping resumes at the window of the earliest match still in progress (known from the state's depth),
 * so no occurrence is missed and the cost stays linear in the text (a region is re-read at most once per
 * value length). The DFA alone finds every match too; the filter only spares it most characters.
 *
 * <p>DFA layout: characters that occur in no value map to class 0, whose column sends every state back
 * to the root. {@code delta[state * width + class]} holds the next state's row offset
 * ({@code next * width}), complemented when a value ends there, so a step is one dependent load.
 * {@code outLen[state]} is the length of the longest value ending at that state, {@code outKey[state]}
 * its key index: any shorter value ending at the same character lies inside it, so redacting the longest
 * one per end position covers every occurrence.
 *
 * <p>Holds no value as text: tables and key names only. {@code toString()} shows sizes.
 */
final class ValueMatcher {
  /** One value to find and the key it is served under. */
  record Pattern(String value, String key) {
    @Override
    public String toString() {
      return "Pattern[" + key + "]"; // never the value
    }
  }

  static final ValueMatcher EMPTY = new ValueMatcher(List.of());

  private final char[] classOf;
  private final int width;
  private final int[] delta;
  private final int[] outLen;
  private final int[] outKey;
  private final String[] markers;
  private final int states;
  /** Depth of each state: the length of the value prefix it stands for. */
  private final int[] depth;
  /** Shortest value length: the skip filter's window. */
  private final int window;
  /** Characters per block hashed by the skip filter. */
  private final int block;
  /** Skip filter: how far the window may move when the block at its end hashes here (0: a candidate). */
  private final byte[] shift;

  ValueMatcher(List<Pattern> patterns) {
    // keys get markers; values map to key indexes
    String[] keys = patterns.stream().map(Pattern::key).distinct().toArray(String[]::new);
    this.markers = new String[keys.length];
    java.util.Map<String, Integer> keyIndex = new java.util.HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      markers[i] = SecretRedactor.marker(keys[i]);
      keyIndex.put(keys[i], i);
    }
    if (patterns.isEmpty()) {
      this.classOf = new char[0];
      this.width = 1;
      this.delta = new int[1];
      this.outLen = new int[1];
      this.outKey = new int[1];
      this.states = 1;
      this.depth = new int[1];
      this.window = 1;
      this.block = 1;
      this.shift = new byte[1];
      return;
    }
    // character classes: 1..k for characters used by some value
    char[] classes = new char[Character.MAX_VALUE + 1];
    int k = 0;
    int total = 0;
    for (Pattern p : patterns) {
      String v = p.value();
      total += v.length();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (classes[c] == 0) {
          classes[c] = (char) ++k;
        }
      }
    }
    this.classOf = classes;
    this.width = k + 1;
    int maxStates = total + 1;
    int[] d = new int[Math.multiplyExact(maxStates, width)];
    int[] len = new int[maxStates];
    int[] key = new int[maxStates];
    int[] dep = new int[maxStates];
    int n = 1;
    for (Pattern p : patterns) {
      String v = p.value();
      int s = 0;
      for (int i = 0; i < v.length(); i++) {
        int idx = s * width + classes[v.charAt(i)];
        int next = d[idx];
        if (next == 0) {
          next = n++;
          d[idx] = next;
          dep[next] = dep[s] + 1;
        }
        s = next;
      }
      len[s] = v.length();
      Integer ki = keyIndex.get(p.key());
      key[s] = ki == null ? 0 : ki;
    }
    // breadth-first: failure links, then each missing transition copied from the failure state's row,
    // which makes the trie a DFA; a state's output falls back to its failure state's
    int[] fail = new int[n];
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int c = 1; c < width; c++) {
      int child = d[c];
      if (child != 0) {
        fail[child] = 0;
        queue[tail++] = child;
      }
    }
    while (head < tail) {
      int s = queue[head++];
      if (len[s] == 0) {
        len[s] = len[fail[s]];
        key[s] = key[fail[s]];
      }
      int row = s * width;
      int failRow = fail[s] * width;
      for (int c = 1; c < width; c++) {
        int child = d[row + c];
        // rows are completed in breadth-first order: when s is processed its row holds only its trie
        // children (set while inserting) and zeros
        if (child != 0) {
          fail[child] = d[failRow + c];
          queue[tail++] = child;
        } else {
          d[row + c] = d[failRow + c];
        }
      }
    }
    this.states = n;
    // the scan's critical path is one load per character: entries hold the next state's row offset
    // (state * width, no multiply), complemented (~offset, negative) when a value ends in that state
    int[] table = Arrays.copyOf(d, n * width);
    for (int i = 0; i < table.length; i++) {
      int t = table[i];
      table[i] = len[t] != 0 ? ~(t * width) : t * width;
    }
    this.delta = table;
    this.depth = Arrays.copyOf(dep, n);
    // Wu–Manber skip filter over the first `window` characters of each value: the block of `block`
    // characters ending a window says how far no value's prefix can end, so ordinary text is mostly
    // skipped several characters at a time, and the DFA runs only around candidates
    int m = Integer.MAX_VALUE;
    for (Pattern p : patterns) {
      m = Math.min(m, p.value().length());
    }
    this.window = m;
    this.block = m >= 6 ? 3 : Math.min(2, m);
    byte[] sh = new byte[HASH_SIZE];
    Arrays.fill(sh, (byte) Math.min(127, m - block + 1));
    for (Pattern p : patterns) {
      String v = p.value();
      for (int q = block - 1; q < m; q++) {
        int h = hash(v, q, block);
        sh[h] = (byte) Math.min(sh[h], m - 1 - q);
      }
    }
    this.shift = sh;
    this.outLen = Arrays.copyOf(len, n);
    this.outKey = Arrays.copyOf(key, n);
  }

  /** Number of DFA states; for tests and {@code toString()}. */
  int states() {
    return states;
  }

  boolean isEmpty() {
    return states == 1;
  }

  String marker(int keyIndex) {
    return markers[keyIndex];
  }

  /**
   * Finds values in {@code text[from, to)}. Returns {@link #NONE} when none is found (no allocation), else the
   * matches as triples {@code start, end (exclusive), key index}, merged where they overlap and in order.
   */
  int[] find(CharSequence text, int from, int to) {
    if (states == 1) {
      return NONE;
    }
    final char[] cls = classOf;
    final int[] dl = delta;
    final int[] out = outLen;
    final int w = width;
    final int m = window;
    final int b = block;
    final byte[] sh = shift;
    int[] found = NONE;
    int count = 0;
    int i = from + m - 1; // end of the current window
    while (i < to) {
      int skip = sh[hash(text, i, b)];
      if (skip != 0) {
        i += skip;
        continue;
      }
      // a value's prefix may end at i: run the DFA from the window's start until the partial match that
      // began there is over; then resume skipping at the window of the earliest match still in progress
      int r = i - m + 1;
      int s = 0;
      for (;;) {
        if (r >= to) {
          i = to;
          break;
        }
        s = dl[s + cls[text.charAt(r)]];
        r++;
        if (s < 0) { // a value ends here (rare): decode the row offset
          s = ~s;
          int state = s / w;
          if (found == NONE) {
            found = new int[12];
          } else if (count * 3 == found.length) {
            found = Arrays.copyOf(found, found.length * 2);
          }
          found[count * 3] = r - out[state];
          found[count * 3 + 1] = r;
          found[count * 3 + 2] = outKey[state];
          count++;
        }
        if (r > i) {
          int next = r - depth[s / w] + m - 1;
          if (next > i) {
            i = next;
            break;
          }
        }
      }
    }
    return found == NONE ? NONE : merge(found, count);
  }

  private static final int HASH_SIZE = 1 << 14;

  /** Hash of the {@code b} characters ending at {@code end}. */
  private static int hash(CharSequence text, int end, int b) {
    int h = text.charAt(end);
    if (b > 1) {
      h += 31 * text.charAt(end - 1);
      if (b > 2) {
        h += 961 * text.charAt(end - 2);
      }
    }
    return (h ^ (h >>> 14)) & (HASH_SIZE - 1);
  }

  /** Shared empty result: compared by identity, never written. */
  static final int[] NONE = new int[0];

  /**
   * Matches come in order of end; a later, longer one can start before earlier ones, so sort by start
   * and merge overlaps (the merged span is named after its longest match).
   */
  private static int[] merge(int[] f, int count) {
    // insertion sort by start: matches in one log line are few
    for (int i = 1; i < count; i++) {
      int s = f[i * 3];
      int e = f[i * 3 + 1];
      int k = f[i * 3 + 2];
      int j = i - 1;
      while (j >= 0 && f[j * 3] > s) {
        f[(j + 1) * 3] = f[j * 3];
        f[(j + 1) * 3 + 1] = f[j * 3 + 1];
        f[(j + 1) * 3 + 2] = f[j * 3 + 2];
        j--;
      }
      f[(j + 1) * 3] = s;
      f[(j + 1) * 3 + 1] = e;
      f[(j + 1) * 3 + 2] = k;
    }
    int[] out = new int[count * 3];
    int m = 0;
    for (int i = 0; i < count; i++) {
      int s = f[i * 3];
      int e = f[i * 3 + 1];
      int k = f[i * 3 + 2];
      if (m > 0 && s < out[(m - 1) * 3 + 1]) {
        int ps = out[(m - 1) * 3];
        int pe = out[(m - 1) * 3 + 1];
        if (e - s > pe - ps) {
          out[(m - 1) * 3 + 2] = k;
        }
        out[(m - 1) * 3 + 1] = Math.max(pe, e);
      } else {
        out[m * 3] = s;
        out[m * 3 + 1] = e;
        out[m * 3 + 2] = k;
        m++;
      }
    }
    return Arrays.copyOf(out, m * 3);
  }

  @Override
  public String toString() {
    return "ValueMatcher[states=" + states + ", classes=" + (width - 1) + ", keys=" + markers.length + "]";
  }
}
