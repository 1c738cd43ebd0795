package org.nexusreussite.secrets.dotenv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.support.CurrentVersionOnly;

/**
 * Secrets from {@code .env} files. Keeps the last parse of the files and re-reads them all when any of
 * them changed (modification time, size or file identity, or a file appeared or disappeared), so editing
 * {@code .env} during development is picked up by the resolver's next refresh without a restart.
 *
 * <p>Reads are bounded: a file larger than the cap ({@code SECRETS_DOTENV_MAX_FILE_SIZE}, default 1 MiB)
 * is refused from its size and never read past the cap even when it grows or lies about its size (files
 * under {@code /proc}), and anything that is not a regular file once links are followed (a FIFO, which
 * would block the read forever; {@code /dev/zero}, which never ends) is refused without being opened.
 *
 * <p>No history: the version of a value is a per-process content id, never a value hash. Thread-safe: reads share an
 * immutable snapshot; a reload happens under a lock, once for concurrent readers.
 */
final class DotenvSecretBackend implements SecretBackend {
  static final String ID = DotenvBackendProvider.ID;

  private final Path dir;
  private final List<String> fileNames;
  private final DotenvParser parser;
  private final Clock clock;
  private final System.Logger logger;
  private final int maxFileSize;
  /** Files currently warned about for loose permissions, so a warning is logged once, not per reload. */
  private final Set<Path> looseFiles = ConcurrentHashMap.newKeySet();
  private final AtomicLong loads = new AtomicLong();
  private volatile @Nullable Snapshot snapshot;

  /** What one file looked like when it was read; absent files have {@code exists == false}. */
  private record Stamp(String name, boolean exists, @Nullable FileTime modified, long size,
      @Nullable Object fileKey) {
    // written out: a record's generated equals/hashCode bootstrap java.lang.runtime.ObjectMethods on first
    // use (about 25 ms of start-up, issue 18), and every read compares stamps
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Stamp s && exists == s.exists && size == s.size && name.equals(s.name)
          && Objects.equals(modified, s.modified) && Objects.equals(fileKey, s.fileKey);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, exists, modified, size, fileKey);
    }
  }

  /** The merged values of every file, with the stamps they were read under. */
  private record Snapshot(List<Stamp> stamps, Map<String, String> values, List<String> found) {}

  DotenvSecretBackend(Path dir, List<String> fileNames, Map<String, String> environment, boolean lenient,
      Clock clock, System.Logger logger) {
    this(dir, fileNames, environment, lenient, DotenvBackendProvider.DEFAULT_MAX_FILE_SIZE, clock, logger);
  }

  /**
   * A backend.
   *
   * @param maxFileSize the largest file read, in bytes
   */
  DotenvSecretBackend(Path dir, List<String> fileNames, Map<String, String> environment, boolean lenient,
      int maxFileSize, Clock clock, System.Logger logger) {
    if (maxFileSize <= 0) {
      throw new IllegalArgumentException("maxFileSize must be positive");
    }
    this.maxFileSize = maxFileSize;
    this.dir = Objects.requireNonNull(dir, "dir");
    this.fileNames = List.copyOf(fileNames);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.logger = Objects.requireNonNull(logger, "logger");
    // classes and loops rather than lambdas on this path: a first lambda costs start-up (issue 18)
    this.parser = new DotenvParser(ID, environment, lenient, new java.util.function.Consumer<>() {
      @Override
      public void accept(InvalidSecretSourceException skipped) {
        logger.log(System.Logger.Level.WARNING,
            "Skipped " + skipped.getMessage() + " (" + DotenvBackendProvider.LENIENT_SETTING + "=true)");
      }
    });
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.LISTING);
  }

  /** {@code dotenv[<dir>: .env, .env.local; not found: .env.development, .env.development.local]}. */
  @Override
  public String describe() {
    Snapshot s = snapshot;
    List<String> found = s == null ? List.of() : s.found();
    List<String> missing = new ArrayList<>(fileNames);
    missing.removeAll(found);
    StringBuilder sb = new StringBuilder(ID).append('[').append(dir.toAbsolutePath().normalize()).append(": ");
    sb.append(found.isEmpty() ? "no file found" : String.join(", ", found));
    if (!missing.isEmpty()) {
      sb.append("; not found: ").append(String.join(", ", missing));
    }
    return sb.append(']').toString();
  }

  @Override
  public Optional<Secret> fetch(String key, VersionSelector version) {
    String raw = current().values().get(key);
    if (raw == null) {
      return Optional.empty();
    }
    SecretValue value = SecretValue.of(raw);
    Secret current = Secret.of(key, value, SecretVersion.ofContent(value), ID, clock.instant());
    return Optional.of(CurrentVersionOnly.select(ID, current, version,
        ".env files keep only the current value; use a store with history such as Vault KV v2"));
  }

  /**
   * Every key of one snapshot of the files: those asked for and their siblings, so a cold start reads the
   * files once and a group of keys never mixes two versions of a file.
   */
  @Override
  public Map<String, Secret> fetchAll(Collection<String> keys) {
    Map<String, String> values = current().values();
    Map<String, Secret> found = new HashMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      SecretValue value = SecretValue.of(e.getValue());
      found.put(key, Secret.of(key, value, SecretVersion.ofContent(value), ID, clock.instant()));
    }
    return found;
  }

  @Override
  public List<SecretVersion> versions(String key) {
    throw UnsupportedCapabilityException.of(ID, Capability.VERSIONS,
        ".env files keep only the current value; use a store with history such as Vault KV v2");
  }

  @Override
  public Set<String> keys() {
    return Collections.unmodifiableSet(new TreeSet<>(current().values().keySet()));
  }

  @Override
  public BackendHealth health() {
    try {
      Snapshot s = current();
      return BackendHealth.up(ID, s.values().size() + " keys from "
          + (s.found().isEmpty() ? "no file" : String.join(", ", s.found())));
    } catch (SecretsException e) {
      return BackendHealth.down(ID, Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
    }
  }

  /** How many times the files were (re)read; for tests. */
  long loads() {
    return loads.get();
  }

  /** Reads the files now, whatever their stamps. */
  void load() {
    synchronized (this) {
      snapshot = read(stamps());
    }
  }

  /** The snapshot, re-read first when a file changed since it was taken. */
  private Snapshot current() {
    Snapshot s = snapshot;
    List<Stamp> now = stamps();
    if (s != null && s.stamps().equals(now)) {
      return s;
    }
    synchronized (this) {
      s = snapshot;
      now = stamps();
      if (s == null || !s.stamps().equals(now)) {
        // stamps are taken before reading: a write racing the read shows up as a change next time
        s = read(now);
        snapshot = s;
      }
      return s;
    }
  }

  private List<Stamp> stamps() {
    List<Stamp> out = new ArrayList<>(fileNames.size());
    for (String name : fileNames) {
      Path file = dir.resolve(name);
      try {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (a.isDirectory()) {
          out.add(new Stamp(name, false, null, 0, null));
        } else {
          out.add(new Stamp(name, true, a.lastModifiedTime(), a.size(), a.fileKey()));
        }
      } catch (NoSuchFileException e) {
        out.add(new Stamp(name, false, null, 0, null));
      } catch (IOException e) {
        throw unreadable(file, e);
      }
    }
    return out;
  }

  private Snapshot read(List<Stamp> stamps) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> found = new ArrayList<>();
    for (Stamp stamp : stamps) {
      if (!stamp.exists()) {
        continue;
      }
      Path file = dir.resolve(stamp.name());
      byte[] bytes;
      try {
        bytes = readBounded(file);
      } catch (NoSuchFileException e) {
        continue; // deleted since it was stamped: the changed stamps trigger another read next time
      } catch (IOException e) {
        throw unreadable(file, e);
      }
      checkPermissions(file);
      String source = file.toString();
      parser.parse(source, decode(source, bytes), values);
      found.add(stamp.name());
    }
    loads.incrementAndGet();
    return new Snapshot(stamps, Collections.unmodifiableMap(values), List.copyOf(found));
  }

  /**
   * The bytes of {@code file}: refused unread when it is not a regular file or its size is over the cap, and
   * never more than cap + 1 bytes read, so a file that grows meanwhile or reports no size cannot exhaust
   * the heap either.
   */
  private byte[] readBounded(Path file) throws IOException {
    // links are followed on purpose: a .env symlinked into a dotfiles repository is common; what it
    // points at must be a plain file. Checking before opening matters: open(2) on a FIFO blocks
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new InvalidSecretSourceException(ID, file.toString(), 0, "not a regular file (" + kind(file, a)
          + "); a .env file must be a plain file: replace it with one or remove it");
    }
    if (a.size() > maxFileSize) {
      throw tooLarge(file, a.size() + " bytes");
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxFileSize + 1);
      if (bytes.length > maxFileSize) {
        throw tooLarge(file, "more than " + maxFileSize + " bytes when read");
      }
      return bytes;
    }
  }

  private InvalidSecretSourceException tooLarge(Path file, String size) {
    return new InvalidSecretSourceException(ID, file.toString(), 0, size + ", over the cap of " + maxFileSize
        + " bytes (" + DotenvBackendProvider.MAX_FILE_SIZE_SETTING + "); a .env file holds a few settings, so "
        + "check that this is the right file, or raise " + DotenvBackendProvider.MAX_FILE_SIZE_SETTING);
  }

  /** What a file that is not regular is, from its Unix mode where the file system gives one. */
  static String kind(Path file, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    try {
      int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
      return switch (type) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "not a plain file";
      };
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
      return "a FIFO, device or socket";
    }
  }

  private static BackendUnavailableException unreadable(Path file, IOException e) {
    // the exception's class says what went wrong (AccessDenied, ...); its message is only the path again
    return new BackendUnavailableException(ID, "Could not read " + file + " (" + e.getClass().getSimpleName()
        + "); check that the file is readable by this process", e);
  }

  /** Strict UTF-8: a bad byte is reported with its line, not replaced silently. */
  private static String decode(String source, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new InvalidSecretSourceException(ID, source, line, "not valid UTF-8; save the file as UTF-8");
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /**
   * Logs a warning, once while it lasts, for a file that group or others can read or write: a writable
   * {@code .env} lets another user inject values (a database URL pointing at their server).
   */
  private void checkPermissions(Path file) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      return; // not a POSIX file system: nothing to check
    }
    boolean readable = perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.OTHERS_READ);
    boolean writable = perms.contains(PosixFilePermission.GROUP_WRITE)
        || perms.contains(PosixFilePermission.OTHERS_WRITE);
    if (!readable && !writable) {
      looseFiles.remove(file);
    } else if (looseFiles.add(file)) {
      String how = readable && writable ? "readable and writable" : readable ? "readable" : "writable";
      logger.log(System.Logger.Level.WARNING, "{0} holds secrets but is {1} by group or others ({2}); "
          + "restrict it with: chmod 600 {0}", file, how, PosixFilePermissions.toString(perms));
    }
  }

  @Override
  public String toString() {
    Snapshot s = snapshot;
    return "DotenvSecretBackend[" + dir.toAbsolutePath().normalize() + ", "
        + (s == null ? "not read" : s.values().size() + " keys") + "]";
  }
}
