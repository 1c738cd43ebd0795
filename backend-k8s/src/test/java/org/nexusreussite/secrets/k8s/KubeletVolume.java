package org.nexusreussite.secrets.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A Secret volume written the way the kubelet's AtomicWriter writes it: every update goes into a new
 * {@code ..<timestamp>.<n>} folder, {@code ..data_tmp} is pointed at it and renamed over {@code ..data}
 * with ATOMIC_MOVE, the user-visible {@code <key> -> ..data/<key>} links are added, links of removed
 * keys are deleted, and the old folder is removed. Not thread-safe: one writer.
 */
final class KubeletVolume {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss");
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Path dir;
  private final Map<String, String> files = new LinkedHashMap<>();
  private String current;

  KubeletVolume(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  Path dir() {
    return dir;
  }

  /** The name of the folder {@code ..data} points at now. */
  String generation() {
    return current;
  }

  KubeletVolume put(String name, String value) throws IOException {
    files.put(name, value);
    return publish();
  }

  KubeletVolume putAll(Map<String, String> values) throws IOException {
    files.putAll(values);
    return publish();
  }

  KubeletVolume remove(String name) throws IOException {
    files.remove(name);
    return publish();
  }

  private KubeletVolume publish() throws IOException {
    String stamp = LocalDateTime.now(ZoneOffset.UTC).format(STAMP);
    String name = ".." + stamp + "." + SEQUENCE.incrementAndGet(); // the kubelet adds random digits
    Path folder = Files.createDirectory(dir.resolve(name));
    for (Map.Entry<String, String> e : files.entrySet()) {
      Files.writeString(folder.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
    }
    Path tmp = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, Path.of(name));
    Files.move(tmp, dir.resolve(K8sFilesSecretBackend.DATA_LINK), StandardCopyOption.ATOMIC_MOVE);
    for (String key : files.keySet()) {
      Path link = dir.resolve(key);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(K8sFilesSecretBackend.DATA_LINK, key));
      }
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        String n = entry.getFileName().toString();
        if (!n.startsWith(".") && !files.containsKey(n) && Files.isSymbolicLink(entry)) {
          Files.delete(entry);
        }
      }
    }
    String old = current;
    current = name;
    if (old != null) {
      deleteTree(dir.resolve(old));
    }
    return this;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
