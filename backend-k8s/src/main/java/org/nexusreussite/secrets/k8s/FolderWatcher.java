package org.nexusreussite.secrets.k8s;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.SecretsException;

/**
 * Watches the mounted folders and tells the backend which files changed.
 *
 * <p>On Linux a kubelet swap shows as {@code CREATE ..<new>}, {@code CREATE ..data_tmp},
 * {@code DELETE ..data_tmp}, {@code CREATE ..data}, {@code DELETE ..<old>}, and no event for the key
 * files themselves. So the watcher reacts to {@code ..data} and to visible names (plain files edited in
 * place), waits until the folder has been quiet for {@value #QUIET_MS} ms (at most {@value #MAX_WAIT_MS}
 * ms) so one swap gives one reload, then compares content fingerprints with the previous reload and
 * reports the files whose value changed. One daemon thread per backend.
 */
final class FolderWatcher implements AutoCloseable {
  static final long QUIET_MS = 100;
  static final long MAX_WAIT_MS = 500;

  private final K8sFilesSecretBackend backend;
  private final System.Logger log;
  private final WatchService service;
  private final Map<WatchKey, K8sFilesSecretBackend.Mount> keys = new HashMap<>();
  private final Map<K8sFilesSecretBackend.Mount, Map<String, String>> seen = new HashMap<>();
  private final Thread thread;

  private FolderWatcher(K8sFilesSecretBackend backend, System.Logger log) throws IOException {
    this.backend = backend;
    this.log = log;
    this.service = FileSystems.getDefault().newWatchService();
    try {
      for (K8sFilesSecretBackend.Mount mount : backend.mounts()) {
        keys.put(mount.real().register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), mount);
      }
      // registered first, fingerprinted second: a swap in between is seen as a change, not lost
      for (K8sFilesSecretBackend.Mount mount : backend.mounts()) {
        seen.put(mount, fingerprintsOrEmpty(mount));
      }
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
    this.thread = new Thread(this::run, "nexus-secrets-" + K8sFilesSecretBackend.ID + "-watch");
    thread.setDaemon(true);
  }

  static FolderWatcher start(K8sFilesSecretBackend backend, System.Logger log) {
    try {
      FolderWatcher watcher = new FolderWatcher(backend, log);
      watcher.thread.start();
      return watcher;
    } catch (IOException e) {
      throw new BackendUnavailableException(K8sFilesSecretBackend.ID, "Cannot watch the mounted secret folders "
          + backend.describe() + " for rotation (" + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "); check the inotify limits (fs.inotify.max_user_watches / max_user_instances)", e);
    }
  }

  private void run() {
    try {
      while (!backend.isClosed()) {
        Set<K8sFilesSecretBackend.Mount> dirty = new LinkedHashSet<>();
        collect(service.take(), dirty);
        if (dirty.isEmpty()) {
          continue;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS);
        WatchKey more;
        while (System.nanoTime() < deadline && (more = service.poll(QUIET_MS, TimeUnit.MILLISECONDS)) != null) {
          collect(more, dirty);
        }
        for (K8sFilesSecretBackend.Mount mount : dirty) {
          reload(mount);
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the backend is shutting down
    }
  }

  private void collect(WatchKey key, Set<K8sFilesSecretBackend.Mount> dirty) {
    K8sFilesSecretBackend.Mount mount = keys.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        dirty.add(mount);
        continue;
      }
      String name = Objects.toString(event.context(), "");
      // ..<timestamp> and ..data_tmp are steps of a swap; ..data is its completion
      if (name.equals(K8sFilesSecretBackend.DATA_LINK) || !name.startsWith(".")) {
        dirty.add(mount);
      }
    }
    key.reset();
  }

  private void reload(K8sFilesSecretBackend.Mount mount) {
    Map<String, String> before = seen.getOrDefault(mount, Map.of());
    Map<String, String> after = fingerprintsOrEmpty(mount);
    seen.put(mount, after);
    Set<String> changed = new HashSet<>();
    for (String name : before.keySet()) {
      if (!Objects.equals(before.get(name), after.get(name))) {
        changed.add(name);
      }
    }
    for (String name : after.keySet()) {
      if (!before.containsKey(name)) {
        changed.add(name);
      }
    }
    if (!changed.isEmpty() && !backend.isClosed()) {
      log.log(System.Logger.Level.DEBUG, "{0}: {1} file(s) changed in {2}", K8sFilesSecretBackend.ID,
          changed.size(), mount.configured());
      backend.changed(changed);
    }
  }

  private Map<String, String> fingerprintsOrEmpty(K8sFilesSecretBackend.Mount mount) {
    try {
      return backend.fingerprints(mount);
    } catch (SecretsException e) {
      log.log(System.Logger.Level.WARNING, "Could not re-read " + mount.configured() + " after a change: "
          + e.getMessage());
      return Map.of();
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      log.log(System.Logger.Level.DEBUG, "Closing the watch service failed: " + e.getClass().getSimpleName());
    }
    thread.interrupt();
  }
}
