package org.nexusreussite.secrets.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps one Secret watched, as a fabric8 informer would for one object: lists it (the first time from the API
 * server's watch cache, {@code resourceVersion=0}), hands what it saw to the backend, then watches from the
 * list's resourceVersion over a WebSocket. When the watch ends, for whatever reason (the server's
 * {@value K8sApi#WATCH_SECONDS} s are up, a 410 Gone because the resourceVersion was compacted away, a lost
 * connection), it lists again and watches again: after the configuration's watch reconnect interval, doubled
 * after each failed attempt up to 32 times that, until one works. Without the informer's cache and resync, which
 * the backend does not need: it compares what it is handed with what it saw. Thread-safe.
 */
final class SecretWatch {
  /** What the watch reports; called from the HTTP client's and the scheduler's threads. */
  interface Events {
    /** The Secret as listed or changed; null when it is gone. */
    void observed(@Nullable Secret object);

    /**
     * A list or watch failed and is retried after a back-off.
     *
     * @param listed whether a list ever succeeded (a refusal with no message of its own is then the watch's)
     */
    void failed(Throwable error, boolean listed);
  }

  private static final int MAX_DOUBLINGS = 5;

  private final K8sApi api;
  private final String namespace;
  private final String name;
  private final Events events;
  private final ScheduledExecutorService scheduler;
  private final Duration listDeadline;
  private final long reconnectMillis;

  // guarded by this; an attempt whose generation is no longer current is ignored (a late callback of a
  // watch already replaced or stopped)
  private long generation;
  private boolean stopped;
  private boolean listed;
  private boolean watching;
  private int failures;
  /** Whether the open watch has had a message (an event or a bookmark) from the server. */
  private boolean heard;
  private @Nullable WebSocket socket;

  SecretWatch(K8sApi api, String namespace, String name, Events events, ScheduledExecutorService scheduler,
      Duration listDeadline) {
    this.api = api;
    this.namespace = namespace;
    this.name = name;
    this.events = events;
    this.scheduler = scheduler;
    this.listDeadline = listDeadline;
    this.reconnectMillis = api.watchReconnectMillis();
  }

  void start() {
    long attempt;
    synchronized (this) {
      attempt = generation;
    }
    schedule(attempt, 0);
  }

  /** Whether a list succeeded and the watch that followed it is open. */
  synchronized boolean isWatching() {
    return watching;
  }

  void stop() {
    WebSocket open;
    synchronized (this) {
      stopped = true;
      generation++;
      watching = false;
      open = socket;
      socket = null;
    }
    if (open != null) {
      open.sendClose(1000, "closing");
    }
  }

  private void schedule(long attempt, long delayMillis) {
    schedule(() -> listThenWatch(attempt), delayMillis);
  }

  private void schedule(Runnable task, long delayMillis) {
    try {
      scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the backend is closing: its scheduler is shut down
    }
  }

  private synchronized boolean current(long attempt) {
    return !stopped && attempt == generation;
  }

  private void listThenWatch(long attempt) {
    boolean fromCache;
    synchronized (this) {
      if (!current(attempt)) {
        return;
      }
      fromCache = !listed;
    }
    SecretList list;
    try {
      list = CallDeadline.run(listDeadline, () -> api.list(namespace, name, fromCache));
    } catch (RuntimeException e) {
      failed(attempt, e);
      return;
    }
    synchronized (this) {
      if (!current(attempt)) {
        return;
      }
      listed = true;
    }
    Secret object = list.getItems() == null ? null : list.getItems().stream()
        .filter(s -> s.getMetadata() != null && name.equals(s.getMetadata().getName())).findFirst().orElse(null);
    observe(object);
    String resourceVersion = list.getMetadata() == null ? null : list.getMetadata().getResourceVersion();
    // the WebSocket upgrade has no deadline of its own (the connect timeout covers the TCP connection only): an
    // attempt not open in time fails, and a socket that opens later is closed at once (its attempt is gone)
    schedule(() -> {
      boolean late;
      synchronized (this) {
        late = current(attempt) && !watching;
      }
      if (late) {
        failed(attempt, new CallDeadline.Exceeded(listDeadline));
      }
    }, listDeadline.toMillis());
    api.watch(namespace, name, resourceVersion, new Listener(attempt)).whenComplete((opened, error) -> {
      if (error != null) {
        try {
          failed(attempt, unwrap(error));
        } catch (RuntimeException e) {
          failed(attempt, e); // an exception here would vanish with the future, and the watch with it
        }
        return;
      }
      boolean keep;
      synchronized (this) {
        keep = current(attempt);
        if (keep) {
          socket = opened;
          watching = true;
          heard = false;
        }
      }
      if (keep) {
        opened.request();
      } else {
        opened.sendClose(1000, "closing");
      }
    });
  }

  /** The attempt ended without a failure (the server's time is up, a 410 Gone): list and watch again. */
  private void ended(long attempt) {
    restart(attempt, null);
  }

  /** Hands {@code object} to the backend; what it throws must not stop the watch. */
  private void observe(@Nullable Secret object) {
    try {
      events.observed(object);
    } catch (RuntimeException e) {
      // the backend's handler logs its own failures; this is a last guard for the watch's thread
    }
  }

  private void failed(long attempt, Throwable error) {
    restart(attempt, error);
  }

  private void restart(long attempt, @Nullable Throwable error) {
    WebSocket open;
    long delay;
    long next;
    boolean wasListed;
    synchronized (this) {
      if (!current(attempt)) {
        return;
      }
      next = ++generation;
      open = socket;
      socket = null;
      watching = false;
      wasListed = listed;
      // a failure, or an end before the server said anything (a proxy that accepts the upgrade and closes it),
      // doubles the wait; a watch that heard from the server resets it
      if (heard) {
        failures = 0;
      }
      delay = heard && error == null ? reconnectMillis : reconnectMillis << Math.min(failures++, MAX_DOUBLINGS);
      heard = false;
    }
    // the next attempt is scheduled before anyone hears of this one: nothing they throw can leave the watch dead
    schedule(next, delay);
    if (open != null) {
      open.sendClose(1000, "restarting");
    }
    if (error != null) {
      try {
        events.failed(error, wasListed);
      } catch (RuntimeException e) {
        // the failure is retried anyway; a reporting problem must not stop that
      }
    }
  }

  /** fabric8 reports a refused WebSocket upgrade with the HTTP code only; the code is what the backend needs. */
  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
      int code = refused.getResponse().code();
      return new KubernetesClientException("watch refused with " + code, refused, code,
          new StatusBuilder().withCode(code).build(), null);
    }
    return t;
  }

  private final class Listener implements WebSocket.Listener {
    private final long attempt;

    Listener(long attempt) {
      this.attempt = attempt;
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      synchronized (SecretWatch.this) {
        if (!current(attempt)) {
          return;
        }
        heard = true;
      }
      WatchEvent event;
      try {
        event = api.event(text);
      } catch (RuntimeException e) {
        failed(attempt, new KubernetesClientException("a watch event that is not one", e));
        return;
      }
      Object object = event.getObject();
      String type = String.valueOf(event.getType());
      switch (type) {
        case "ADDED", "MODIFIED" -> {
          if (object instanceof Secret secret) {
            observe(secret);
          }
        }
        case "DELETED" -> observe(null);
        case "ERROR" -> {
          Status status = object instanceof Status s ? s : new StatusBuilder().build();
          if (status.getCode() != null && status.getCode() == 410) {
            ended(attempt); // the resourceVersion is too old: list again
          } else {
            failed(attempt, K8sApi.failure("watch", status));
          }
          return;
        }
        default -> {
          // BOOKMARK: nothing changed
        }
      }
      webSocket.request();
    }

    @Override
    public void onClose(WebSocket webSocket, int code, String reason) {
      if (code == 1000 || code == 1001) { // normal closure, going away: the server's time is up, or it stops
        ended(attempt);
      } else {
        // the reason is the server's or a proxy's text: not repeated
        failed(attempt, new KubernetesClientException("the watch was closed with WebSocket code " + code));
      }
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      failed(attempt, error);
    }
  }
}
