package org.nexusreussite.secrets.k8s;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.BackendChangeListener;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.support.CurrentVersionOnly;
import org.nexusreussite.secrets.spi.support.OrderedSources;

/**
 * Secrets from mounted folders, one file per key, as the kubelet writes Secret volumes.
 *
 * <h2>Why a reader never sees a half-written value</h2>
 * The kubelet never writes into the folder that readers use: it writes every file into a new
 * {@code ..<timestamp>} folder, points {@code ..data_tmp} at it and renames that link over
 * {@code ..data} (one atomic {@code rename(2)}), and only then deletes the old folder. This backend
 * resolves {@code ..data} once per read to a real folder path and reads the key's file inside it. A
 * file in a timestamped folder is complete before the folder becomes visible and is never changed
 * afterwards, so a read returns either the old or the new value, whole. If the old folder is deleted
 * between resolving and reading, the read fails with "no such file" and is retried against the new
 * folder. {@link #fetchAll(Collection)} reads all keys of a folder from the same generation, so a batch
 * never mixes old and new values. The version label comes from the same resolution as the bytes, so a
 * value and its version always belong together.
 *
 * <p>Outside the kubelet layout (plain files, no {@code ..data}) files are read as they are; whoever
 * writes them should write a temporary file and rename it, or readers may see a partial value.
 *
 * <h2>Bounded reads</h2>
 * Every file is read through {@link BoundedRead}: a file over {@code SECRETS_K8S_MAX_FILE_SIZE} (default
 * 1 MiB, the most a Kubernetes Secret can hold) is never read whole, and anything that is not a regular
 * file (a FIFO, a device) is never opened. Asking for such a key fails naming the file and the cap; the
 * watcher, which looks at every file, notes an oversize file by its size and time instead of its content
 * and logs one warning naming it, so one stray file cannot stop the backend from starting.
 *
 * <p>Thread-safe. Values are not cached here; the resolver caches.
 */
final class K8sFilesSecretBackend implements SecretBackend {
  static final String ID = "k8s-files";
  static final String DATA_LINK = "..data";
  // a retry is needed only when a swap removed the folder between resolving ..data and reading; the kubelet
  // swaps at most once per sync period, so even a writer far faster than it never exhausts these
  private static final int ATTEMPTS = 100;
  private static final Pattern KUBELET_FOLDER =
      Pattern.compile("\\.\\.(\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2})\\..*");
  private static final DateTimeFormatter KUBELET_TIME = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");

  /** A configured folder and its real path; symlinks under it must stay inside the real path. */
  record Mount(int index, Path configured, Path real) {}

  /** The folder a read uses: the {@code ..data} target in the kubelet layout, else the mount itself. */
  private record Generation(Path dir, @Nullable String name) {
    boolean kubelet() {
      return name != null;
    }
  }

  private final List<Mount> mounts;
  private final boolean trimNewline;
  private final Clock clock;
  private final System.Logger log;
  private final VersionMemory versionMemory = new VersionMemory();
  private final List<BackendChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final int maxFileSize;
  /** Oversize files already warned about by the watcher, so each is reported once while it stays too big. */
  private final Set<Path> oversize = ConcurrentHashMap.newKeySet();
  private @Nullable FolderWatcher watcher;
  private volatile boolean closed;

  K8sFilesSecretBackend(List<Path> folders, boolean trimNewline, Clock clock, System.Logger log) {
    this(folders, trimNewline, K8sFilesBackendProvider.DEFAULT_MAX_FILE_SIZE, clock, log);
  }

  /**
   * A backend over {@code folders}.
   *
   * @param maxFileSize the largest file read, in bytes
   */
  K8sFilesSecretBackend(List<Path> folders, boolean trimNewline, int maxFileSize, Clock clock,
      System.Logger log) {
    if (maxFileSize <= 0) {
      throw new IllegalArgumentException("maxFileSize must be positive");
    }
    this.maxFileSize = maxFileSize;
    List<Mount> list = new ArrayList<>();
    for (Path folder : folders) {
      try {
        list.add(new Mount(list.size(), folder, folder.toRealPath()));
      } catch (IOException e) {
        throw new BackendConfigurationException(ID, "Mounted secrets folder " + folder
            + " (SECRETS_K8S_MOUNT) cannot be opened: " + e.getClass().getSimpleName()
            + ". Mount the Secret volume there or fix SECRETS_K8S_MOUNT.", e);
      }
    }
    this.mounts = List.copyOf(list);
    this.trimNewline = trimNewline;
    this.clock = clock;
    this.log = log;
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.LISTING, Capability.WATCH);
  }

  @Override
  public String describe() {
    return ID + mounts.stream().map(m -> m.configured().toString()).collect(Collectors.joining(",", "[", "]"));
  }

  List<Mount> mounts() {
    return mounts;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<Secret> fetch(String key, VersionSelector selector) {
    requireKey(key);
    for (Mount mount : mounts) {
      Map<String, Secret> found = readFromMount(mount, List.of(key));
      Secret secret = found.get(key);
      if (secret != null) {
        return Optional.of(select(secret, selector));
      }
    }
    return Optional.empty();
  }

  /** One {@code ..data} generation per mount for all the keys it holds; the first mount holding a key wins. */
  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    keys.forEach(K8sFilesSecretBackend::requireKey);
    return OrderedSources.fetchAll(mounts, keys, OrderedSources.Siblings.DROP, this::readFromMount);
  }

  private Secret select(Secret current, VersionSelector selector) {
    return CurrentVersionOnly.select(ID, current, selector,
        "a mounted Secret volume keeps only the current value (version " + current.version().id()
            + "); use a store with history such as Vault KV v2 for older versions");
  }

  @Override
  public Set<String> keys() {
    Set<String> keys = new TreeSet<>();
    for (Mount mount : mounts) {
      keys.addAll(withRetry(mount, generation -> {
        Set<String> names = new TreeSet<>();
        for (Path file : regularFiles(mount, generation)) {
          names.add(file.getFileName().toString());
        }
        return names;
      }));
    }
    return keys;
  }

  /** The values of {@code keys} held by one mount, all read from the same generation. */
  private Map<String, Secret> readFromMount(Mount mount, List<String> keys) {
    return withRetry(mount, generation -> {
      Map<String, Secret> out = new HashMap<>();
      for (String key : keys) {
        Optional<Path> file = locate(mount, generation, key);
        if (file.isPresent()) {
          out.put(key, read(mount, generation, key, file.get()));
        }
      }
      return out;
    });
  }

  @FunctionalInterface
  private interface GenerationRead<T> {
    T apply(Generation generation) throws IOException;
  }

  /**
   * Runs {@code read} against the mount's current generation, again against the next one when the
   * folder disappeared under it (the kubelet deletes the old folder right after a swap).
   */
  private <T> T withRetry(Mount mount, GenerationRead<T> read) {
    NoSuchFileException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Generation generation;
      try {
        generation = generation(mount);
      } catch (NoSuchFileException e) {
        last = e;
        continue;
      } catch (IOException e) {
        throw unreadable(mount.configured().resolve(DATA_LINK), e);
      }
      try {
        T result = read.apply(generation);
        // the kubelet never touches the folder ..data points at, but deletes the previous one file by file
        // after a swap: a pass that began on a folder that stopped being current may have seen it half
        // deleted (a key missing), so it only counts if ..data still points where it did (a seqlock)
        String name = generation.name(); // null outside the kubelet layout
        if (name == null || name.equals(currentName(mount))) {
          return result;
        }
      } catch (NoSuchFileException e) {
        last = e; // swapped and removed meanwhile: read the new generation
      } catch (IOException e) {
        throw unreadable(generation.dir(), e);
      }
    }
    if (last == null) {
      throw new BackendUnavailableException(ID, "The Secret volume at " + mount.configured() + " changed on "
          + "every one of " + ATTEMPTS + " reads in a row; whatever rewrites ..data that often is not the kubelet");
    }
    throw unreadable(Path.of(last.getFile() == null ? mount.configured().toString() : last.getFile()), last);
  }

  private Generation generation(Mount mount) throws IOException {
    Path data = mount.real().resolve(DATA_LINK);
    if (!Files.exists(data, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return new Generation(mount.real(), null);
    }
    Path target = data.toRealPath();
    if (!mount.real().equals(target.getParent())) {
      throw new BackendConfigurationException(ID, mount.configured().resolve(DATA_LINK)
          + " does not point at a folder directly inside " + mount.configured()
          + "; refused (a Secret volume's ..data link must stay inside the mount)");
    }
    return new Generation(target, target.getFileName().toString());
  }

  private static String currentName(Mount mount) throws IOException {
    return mount.real().resolve(DATA_LINK).toRealPath().getFileName().toString();
  }

  /** The file holding {@code key}: the exact name, else the single file that maps to it. */
  private Optional<Path> locate(Mount mount, Generation generation, String key) throws IOException {
    Path exact = generation.dir().resolve(key);
    if (!generation.dir().equals(exact.getParent())) {
      throw outside(mount, key, exact); // cannot happen for a valid key; kept as a second wall
    }
    if (Files.isRegularFile(exact)) {
      return Optional.of(exact);
    }
    if (Files.exists(exact) && !Files.isDirectory(exact)) {
      // a FIFO or a device under the key's name: refused, not "absent", so no lower backend answers instead
      throw new InvalidSecretSourceException(ID, mount.configured().resolve(key).toString(), 0, "not a regular file ("
          + BoundedRead.kind(exact, Files.readAttributes(exact, BasicFileAttributes.class)) + "); a Secret "
          + "volume holds plain files: check what is mounted at " + mount.configured());
    }
    List<Path> candidates = new ArrayList<>();
    for (Path file : visibleEntries(generation)) {
      if (KeyNames.matches(key, file.getFileName().toString()) && Files.isRegularFile(file)) {
        candidates.add(file);
      }
    }
    if (candidates.size() > 1) {
      throw new BackendConfigurationException(ID, "Key '" + key + "' is ambiguous in " + mount.configured()
          + ": the files " + candidates.stream().map(p -> p.getFileName().toString())
              .collect(Collectors.joining(" and ")) + " both map to it. Remove or rename one, or ask "
          + "for the exact file name.");
    }
    return candidates.stream().findFirst();
  }

  private Secret read(Mount mount, Generation generation, String key, Path file) throws IOException {
    Path real = file.toRealPath();
    if (!real.startsWith(mount.real())) {
      throw outside(mount, key, file);
    }
    SecretValue value;
    try {
      value = Values.decode(BoundedRead.read(real, maxFileSize, K8sFilesBackendProvider.MAX_FILE_SIZE),
          trimNewline);
    } catch (BoundedRead.Refused e) {
      // named as the user sees it (<mount>/<key>), not inside the kubelet's timestamped folder
      Path shown = mount.configured().resolve(file.getFileName());
      throw new InvalidSecretSourceException(ID, shown.toString(), 0, e.problem() + "; a Kubernetes Secret "
          + "holds at most 1 MiB, so check what is mounted at " + mount.configured() + " or raise "
          + K8sFilesBackendProvider.MAX_FILE_SIZE);
    }
    SecretVersion version;
    String generationName = generation.name(); // null outside the kubelet layout
    if (generationName != null) {
      String id = versionMemory.versionOf(mount.index() + "/" + file.getFileName(), value, generationName);
      version = SecretVersion.of(id, createdAt(id), Set.of(), true, SecretVersion.State.ENABLED);
    } else {
      version = SecretVersion.ofContent(value);
    }
    return Secret.of(key, value, version, ID, clock.instant());
  }

  /** The kubelet names folders {@code ..2024_05_01_10_00_00.123456789} in UTC. */
  static @Nullable Instant createdAt(String folderName) {
    Matcher m = KUBELET_FOLDER.matcher(folderName);
    if (!m.matches()) {
      return null;
    }
    try {
      return LocalDateTime.parse(m.group(1), KUBELET_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static List<Path> visibleEntries(Generation generation) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(generation.dir())) {
      for (Path entry : entries) {
        // hidden entries are the kubelet's own (..data, ..<timestamp>, ..data_tmp) or not secrets
        if (!entry.getFileName().toString().startsWith(".")) {
          out.add(entry);
        }
      }
    }
    return out;
  }

  /** Regular files that stay inside the mount and whose names are valid keys. */
  private List<Path> regularFiles(Mount mount, Generation generation) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path entry : visibleEntries(generation)) {
      if (!Keys.isValid(entry.getFileName().toString()) || !Files.isRegularFile(entry)) {
        continue;
      }
      if (!entry.toRealPath().startsWith(mount.real())) {
        log.log(System.Logger.Level.WARNING, "Ignoring {0}: it is a symlink leaving {1}", entry,
            mount.configured());
        continue;
      }
      out.add(entry);
    }
    return out;
  }

  private static void requireKey(String key) {
    if (!Keys.isValid(key)) {
      // keys are single file names: no separators, no leading dot, so no "..", no absolute path
      throw new IllegalArgumentException("Key refused by " + ID + ": keys match [A-Za-z_][A-Za-z0-9_.-]*, "
          + "so they cannot name a path outside the mounted folder");
    }
  }

  private static BackendConfigurationException outside(Mount mount, String key, Path file) {
    return new BackendConfigurationException(ID, "Key '" + key + "' resolves outside the mounted folder "
        + mount.configured() + ": " + file + " is a symlink leaving it; refused");
  }

  private static BackendUnavailableException unreadable(Path path, IOException e) {
    return new BackendUnavailableException(ID, "Cannot read mounted secret file or folder " + path + " ("
        + e.getClass().getSimpleName() + "). Check that the volume is mounted and readable by this process "
        + "(volume defaultMode, pod fsGroup/runAsUser).", e);
  }

  // ---------------------------------------------------------------- watching

  @Override
  public void watch(BackendChangeListener listener) {
    listeners.add(listener);
    synchronized (this) {
      if (watcher == null && !closed) {
        try {
          watcher = FolderWatcher.start(this, log);
        } catch (BackendUnavailableException e) {
          // no inotify left is no reason to refuse to start: rotation then arrives with scheduled refreshes
          log.log(System.Logger.Level.WARNING, e.getMessage() + "; rotated values are picked up at the next "
              + "scheduled refresh (SECRETS_CACHE_REFRESH) instead");
        }
      }
    }
  }

  /**
   * Fingerprints of every file of a mount's current generation, by file name; used by the watcher to
   * tell which keys changed in a swap.
   */
  Map<String, String> fingerprints(Mount mount) {
    return withRetry(mount, generation -> {
      Map<String, String> out = new TreeMap<>();
      for (Path file : regularFiles(mount, generation)) {
        Path name = file.getFileName();
        out.put(name.toString(), fingerprint(file, mount.configured().resolve(name)));
      }
      return out;
    });
  }

  /**
   * A file's content fingerprint, or for a file the cap refuses a stand-in made of its size, time and
   * identity (so a change to it still counts as a change), with one warning naming it.
   */
  private String fingerprint(Path file, Path shown) throws IOException {
    Path real = file.toRealPath();
    try {
      byte[] bytes = BoundedRead.read(real, maxFileSize, K8sFilesBackendProvider.MAX_FILE_SIZE);
      String fingerprint = Values.decode(bytes, trimNewline).fingerprint();
      oversize.remove(real);
      return fingerprint;
    } catch (BoundedRead.Refused e) {
      if (oversize.add(real)) {
        log.log(System.Logger.Level.WARNING, "Not reading mounted secret file {0}: {1}; asking for its key "
            + "fails until it is fixed, the other keys are served", shown, e.problem());
      }
      BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
      return "unread:" + a.size() + ":" + a.lastModifiedTime().toMillis() + ":" + a.fileKey();
    }
  }

  /** Called by the watcher with the file names whose content changed (added, removed or modified). */
  void changed(Set<String> fileNames) {
    Set<String> keys = new LinkedHashSet<>();
    for (String name : fileNames) {
      keys.addAll(KeyNames.spellings(name));
    }
    Set<String> view = Set.copyOf(keys);
    for (BackendChangeListener listener : listeners) {
      try {
        listener.changed(view);
      } catch (RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "A change listener of " + ID + " threw "
            + e.getClass().getName());
      }
    }
  }

  boolean isClosed() {
    return closed;
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  public BackendHealth health() {
    List<String> details = new ArrayList<>();
    for (Mount mount : mounts) {
      try {
        Generation generation = generation(mount);
        details.add(mount.configured() + (generation.kubelet() ? " (" + generation.name() + ")" : " (plain files)"));
      } catch (IOException | RuntimeException e) {
        return BackendHealth.down(ID, "Mounted folder " + mount.configured() + " is not readable ("
            + e.getClass().getSimpleName() + ")");
      }
      if (!Files.isDirectory(mount.real()) || !Files.isReadable(mount.real())) {
        return BackendHealth.down(ID, "Mounted folder " + mount.configured() + " is missing or not readable");
      }
    }
    return BackendHealth.up(ID, String.join(", ", details) + (watcher == null ? ", not watching" : ", watching"));
  }

  @Override
  public void close() {
    FolderWatcher w;
    synchronized (this) {
      closed = true;
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      w.close();
    }
  }

  @Override
  public String toString() {
    return "K8sFilesSecretBackend" + describe().substring(ID.length());
  }
}
