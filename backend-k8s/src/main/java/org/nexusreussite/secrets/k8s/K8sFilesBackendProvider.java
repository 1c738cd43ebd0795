package org.nexusreussite.secrets.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/**
 * Kubernetes Secret volumes mounted as files: id {@code k8s-files}, ordinal {@value #ORDINAL}.
 *
 * <p>Settings: {@value #MOUNT} (comma list of folders, earlier wins; default {@value #DEFAULT_MOUNT}
 * when that folder exists), {@value #TRIM_NEWLINE} ({@code true} by default: one trailing line break
 * is removed from each value) and {@value #MAX_FILE_SIZE} (the largest file read, default 1 MiB). Each
 * regular file is a key; the kubelet's {@code ..data} layout is understood and watched, so rotated values reach the resolver within about a second.
 *
 * <p>Thread-safe; a public no-arg constructor for {@link java.util.ServiceLoader}.
 */
public final class K8sFilesBackendProvider implements SecretBackendProvider {
  /** Above the stores (a mounted file is what the platform gave this pod), below environment variables. */
  public static final int ORDINAL = 350;
  /** Setting: comma list of mounted folders. */
  public static final String MOUNT = "SECRETS_K8S_MOUNT";
  /** Setting: whether one trailing line break is removed from each value (default true). */
  public static final String TRIM_NEWLINE = "SECRETS_K8S_TRIM_NEWLINE";
  /** Setting: the largest mounted file read, in bytes; larger files are refused, never read whole. */
  public static final String MAX_FILE_SIZE = "SECRETS_K8S_MAX_FILE_SIZE";
  /** Default of {@value #MAX_FILE_SIZE}: 1 MiB, the most a Kubernetes Secret (all its keys) can hold. */
  public static final int DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
  /** The folder used when {@value #MOUNT} is not set, if it exists. */
  public static final String DEFAULT_MOUNT = "/var/run/secrets/nexus-reussite";

  private final Path defaultMount;

  /** For ServiceLoader. */
  public K8sFilesBackendProvider() {
    this(Path.of(DEFAULT_MOUNT));
  }

  /** With another default folder, for tests. */
  K8sFilesBackendProvider(Path defaultMount) {
    this.defaultMount = defaultMount;
  }

  @Override
  public String id() {
    return K8sFilesSecretBackend.ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    List<String> folders = context.config().list(MOUNT);
    if (!folders.isEmpty()) {
      return Activation.active(MOUNT + "=" + String.join(",", folders));
    }
    if (Files.isDirectory(defaultMount)) {
      return Activation.active(defaultMount + " exists");
    }
    return Activation.inactive(MOUNT + " is not set and " + defaultMount + " does not exist");
  }

  @Override
  public SecretBackend create(BackendContext context) {
    SecretsConfig config = context.config();
    List<Path> folders = new ArrayList<>();
    for (String folder : config.list(MOUNT)) {
      Path path = Path.of(folder);
      if (!Files.isDirectory(path)) {
        throw new BackendConfigurationException(id(), MOUNT + " names " + path
            + ", which is not a folder: mount the Secret volume there or fix " + MOUNT);
      }
      folders.add(path);
    }
    if (folders.isEmpty()) {
      folders.add(defaultMount);
    }
    int maxFileSize = config.integer(MAX_FILE_SIZE, DEFAULT_MAX_FILE_SIZE);
    if (maxFileSize <= 0) {
      throw BackendConfigurationException.setting(MAX_FILE_SIZE, "a size in bytes greater than 0, such as "
          + DEFAULT_MAX_FILE_SIZE);
    }
    return new K8sFilesSecretBackend(folders, config.bool(TRIM_NEWLINE, true), maxFileSize, context.clock(),
        context.logger());
  }
}
