package org.nexusreussite.secrets.logging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Subscription;

/**
 * Replaces, in log text, every value a {@link SecretResolver} serves, and every previous value within
 * a grace window, with {@code [secret:KEY]}.
 *
 * <pre>{@code
 * SecretRedactor redactor = SecretRedactor.attach(resolver);
 * String safe = redactor.redact("connecting with " + password); // "connecting with [secret:DB_PASSWORD]"
 * }</pre>
 *
 * <p>How: the resolver tells the redactor of each value it serves ({@link SecretResolver#onServe}), first
 * serves included, before the read returns the value. The values are compiled into one multi-value
 * matcher (a Wu–Manber skip filter in front of an Aho–Corasick DFA), so a line is scanned once whatever
 * the number of values, mostly several characters per step; a line without a value is returned as the
 * same instance, with nothing allocated. The automaton is
 * rebuilt copy-on-write and published through a volatile field; the rebuild is lazy (on the first line
 * after a change), so a burst of first serves at start-up costs one rebuild.
 *
 * <p>What is not matched: values shorter than {@link RedactionOptions#minLength()} (8 by default: they
 * occur in ordinary text), a value split or encoded differently in the line (URL-encoded, Base64 of it,
 * cut at a line break), versions fetched explicitly with {@code secret(key, selector)}, and values past
 * the bounds ({@link RedactionOptions#maxValues()} values, {@link RedactionOptions#maxChars()}
 * characters), which are refused with a WARNING naming the key. When the bounds are reached, previous
 * values in grace are dropped first, oldest first.
 *
 * <p>Thread-safe: {@link #redact} runs lock-free on any thread; updates take a private lock. Holds
 * values in memory but never prints them: {@code toString()}, logs and exceptions carry counts and keys.
 */
public final class SecretRedactor implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("org.nexusreussite.secrets.logging");
  private static final String MARKER_PREFIX = "[secret:";
  private static final SecretRedactor NONE = new SecretRedactor(RedactionOptions.defaults());

  /** Key -> value served now (only values long enough to match). */
  private final Map<String, String> current = new LinkedHashMap<>();
  /** Previous value -> its key and when its grace ends; insertion order is age, oldest first. */
  private final LinkedHashMap<String, Grace> grace = new LinkedHashMap<>();
  private final RedactionOptions options;
  private final Object lock = new Object();
  private volatile Snapshot snapshot = new Snapshot(ValueMatcher.EMPTY, Long.MAX_VALUE);
  /** Set under the lock by every change, cleared by the rebuild that takes the change in. */
  private volatile boolean dirty;
  private volatile @Nullable Subscription subscription;
  private int chars;

  private record Grace(String key, long untilMillis) {
    @Override
    public String toString() {
      return "Grace[" + key + "]";
    }
  }

  /** The matcher and the earliest end of a grace window in it (Long.MAX_VALUE when none). */
  private record Snapshot(ValueMatcher matcher, long nextExpiryMillis) {}

  private SecretRedactor(RedactionOptions options) {
    this.options = options;
  }

  /** A redactor that knows no value and changes nothing: what adapters use before a resolver exists. */
  public static SecretRedactor none() {
    return NONE;
  }

  /** A redactor following {@code resolver} with the default options; see {@link #attach(SecretResolver, RedactionOptions)}. */
  public static SecretRedactor attach(SecretResolver resolver) {
    return attach(resolver, RedactionOptions.defaults());
  }

  /**
   * A redactor following {@code resolver}: it knows at once every value served now, and each value served
   * later from before that read returns. {@link #close()} stops following (the resolver keeps working).
   *
   * @throws UnsupportedOperationException when the resolver cannot report served values
   */
  public static SecretRedactor attach(SecretResolver resolver, RedactionOptions options) {
    Objects.requireNonNull(resolver, "resolver");
    SecretRedactor r = new SecretRedactor(Objects.requireNonNull(options, "options"));
    r.subscription = resolver.onServe(r::served);
    return r;
  }

  /**
   * A redactor told of values by hand through {@link #served(Secret)}, following no resolver: for tests
   * and for applications that hold secrets the SDK does not serve.
   */
  public static SecretRedactor manual(RedactionOptions options) {
    return new SecretRedactor(Objects.requireNonNull(options, "options"));
  }

  /** The marker that replaces a value of {@code key}: {@code [secret:KEY]}. */
  public static String marker(String key) {
    return MARKER_PREFIX + key + "]";
  }

  /** The options in force. */
  public RedactionOptions options() {
    return options;
  }

  /**
   * Records that {@code secret} is served now: its value is redacted from the next line on, and the
   * key's previous value stays redacted for the grace window. A repeat of the value served now changes
   * nothing. Called by the resolver; callable by hand on a {@link #manual} redactor.
   */
  public void served(Secret secret) {
    if (this == NONE) {
      return;
    }
    String key = secret.key();
    String value = secret.value().reveal();
    boolean trackable = value.length() >= options.minLength();
    String refused = null;
    synchronized (lock) {
      String previous = current.get(key);
      if (value.equals(previous)) {
        return;
      }
      if (previous != null) {
        current.remove(key);
        chars -= previous.length();
        if (!options.grace().isZero()) {
          addGrace(previous, key);
        }
      }
      if (trackable) {
        Grace g = grace.remove(value); // a rollback to a value in grace: it is current again
        if (g != null) {
          chars -= value.length();
        }
        makeRoom(value.length());
        if (current.size() + grace.size() < options.maxValues() && chars + value.length() <= options.maxChars()) {
          current.put(key, value);
          chars += value.length();
        } else {
          refused = key;
        }
      }
      dirty = true;
    }
    if (refused != null) {
      LOG.log(System.Logger.Level.WARNING, "Log redaction is full ({0} values or {1} characters): the value "
          + "of ''{2}'' is NOT redacted from logs; raise SECRETS_LOG_REDACTION_MAX_VALUES or "
          + "SECRETS_LOG_REDACTION_MAX_CHARS", options.maxValues(), options.maxChars(), refused);
    }
  }

  private void addGrace(String value, String key) {
    if (grace.containsKey(value) || current.containsValue(value)) {
      return; // still redacted under another entry
    }
    makeRoom(value.length());
    if (current.size() + grace.size() < options.maxValues() && chars + value.length() <= options.maxChars()) {
      grace.put(value, new Grace(key, options.clock().millis() + options.grace().toMillis()));
      chars += value.length();
    }
  }

  /** Drops previous values, oldest first, until {@code length} more characters and one more value fit. */
  private void makeRoom(int length) {
    Iterator<Map.Entry<String, Grace>> it = grace.entrySet().iterator();
    while (it.hasNext()
        && (current.size() + grace.size() >= options.maxValues() || chars + length > options.maxChars())) {
      Map.Entry<String, Grace> oldest = it.next();
      chars -= oldest.getKey().length();
      it.remove();
    }
  }

  /**
   * {@code text} with every known value replaced by its marker; the same instance when nothing matched
   * (no allocation then).
   */
  public String redact(String text) {
    ValueMatcher m = matcher();
    int[] found = m.find(text, 0, text.length());
    if (found == ValueMatcher.NONE) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    int at = 0;
    for (int i = 0; i < found.length; i += 3) {
      sb.append(text, at, found[i]).append(m.marker(found[i + 2]));
      at = found[i + 1];
    }
    return sb.append(text, at, text.length()).toString();
  }

  /**
   * Redacts {@code text[from, end)} in place, for layouts that append into a buffer.
   *
   * @return true when something was replaced
   */
  public boolean redact(StringBuilder text, int from) {
    ValueMatcher m = matcher();
    int[] found = m.find(text, from, text.length());
    if (found == ValueMatcher.NONE) {
      return false;
    }
    for (int i = found.length - 3; i >= 0; i -= 3) { // right to left: earlier offsets stay valid
      text.replace(found[i], found[i + 1], m.marker(found[i + 2]));
    }
    return true;
  }

  /** Whether {@code text} holds a known value. */
  public boolean containsSecret(CharSequence text) {
    return matcher().find(text, 0, text.length()) != ValueMatcher.NONE;
  }

  private ValueMatcher matcher() {
    // dirty before snapshot: a rebuild publishes its snapshot before it clears dirty, so a reader that
    // sees dirty cleared after a served() returned also sees a snapshot holding that value (read in the
    // other order, it could pair an older snapshot with the cleared flag and miss the value)
    if (dirty) {
      return rebuild().matcher;
    }
    Snapshot s = snapshot;
    if (s.nextExpiryMillis != Long.MAX_VALUE && options.clock().millis() >= s.nextExpiryMillis) {
      s = rebuild();
    }
    return s.matcher;
  }

  private Snapshot rebuild() {
    synchronized (lock) {
      long now = options.clock().millis();
      long next = Long.MAX_VALUE;
      for (Iterator<Map.Entry<String, Grace>> it = grace.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Grace> e = it.next();
        if (e.getValue().untilMillis <= now) {
          chars -= e.getKey().length();
          it.remove();
        } else {
          next = Math.min(next, e.getValue().untilMillis);
        }
      }
      if (!dirty && next == snapshot.nextExpiryMillis) {
        return snapshot; // another thread rebuilt meanwhile
      }
      List<ValueMatcher.Pattern> patterns = new ArrayList<>(current.size() + grace.size());
      for (Map.Entry<String, String> e : current.entrySet()) {
        patterns.add(new ValueMatcher.Pattern(e.getValue(), e.getKey()));
      }
      for (Map.Entry<String, Grace> e : grace.entrySet()) {
        patterns.add(new ValueMatcher.Pattern(e.getKey(), e.getValue().key));
      }
      Snapshot s = new Snapshot(dedup(patterns), next);
      snapshot = s;
      dirty = false;
      return s;
    }
  }

  private static ValueMatcher dedup(List<ValueMatcher.Pattern> patterns) {
    // one value served under two keys is matched once, named after the first key
    Map<String, ValueMatcher.Pattern> byValue = new LinkedHashMap<>();
    for (ValueMatcher.Pattern p : patterns) {
      byValue.putIfAbsent(p.value(), p);
    }
    return new ValueMatcher(new ArrayList<>(byValue.values()));
  }

  /** Number of values redacted now, current and in grace. */
  public int size() {
    synchronized (lock) {
      return current.size() + grace.size();
    }
  }

  /** Stops following the resolver; the values known so far stay redacted. Idempotent. */
  @Override
  public void close() {
    Subscription s = subscription;
    subscription = null;
    if (s != null) {
      s.close();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "SecretRedactor[current=" + current.size() + ", inGrace=" + grace.size() + ", chars=" + chars
          + ", keys=" + current.keySet() + "]";
    }
  }
}
