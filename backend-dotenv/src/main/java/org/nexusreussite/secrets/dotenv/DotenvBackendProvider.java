package org.nexusreussite.secrets.dotenv;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Profile;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/**
 * The {@code .env} file backend: id {@value #ID}, ordinal {@value #ORDINAL}, the lowest of the built-in
 * stores so any real store or environment variable overrides a developer's file.
 *
 * <p>Reads, in order, later files winning: {@code .env}, {@code .env.<profile>}, {@code .env.local},
 * {@code .env.<profile>.local}, from {@code SECRETS_DOTENV_DIR} (default: the working directory).
 * {@code .env.local} is skipped in the {@code testing} (and {@code test}) profile so tests do not depend
 * on one developer's machine. Active when at least one of those files exists; off in strict profiles
 * unless {@code SECRETS_DOTENV_IN_PRODUCTION=true}.
 *
 * <p>Registered for {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class DotenvBackendProvider implements SecretBackendProvider {
  /** The backend id. */
  public static final String ID = "dotenv";
  /** Default precedence: below environment variables (400) and every remote store (300). */
  public static final int ORDINAL = 100;
  /** The folder holding the {@code .env} files; default the working directory. */
  public static final String DIR_SETTING = "SECRETS_DOTENV_DIR";
  /** {@code true} skips malformed lines with a warning instead of failing. */
  public static final String LENIENT_SETTING = "SECRETS_DOTENV_LENIENT";
  /** The largest {@code .env} file read, in bytes; a larger file is refused with its name and the cap. */
  public static final String MAX_FILE_SIZE_SETTING = "SECRETS_DOTENV_MAX_FILE_SIZE";
  /** Default of {@value #MAX_FILE_SIZE_SETTING}: 1 MiB, a thousand times a large {@code .env}. */
  public static final int DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
  /** {@code true} lets the backend run in a strict profile, with a warning. */
  public static final String IN_PRODUCTION_SETTING = "SECRETS_DOTENV_IN_PRODUCTION";

  /** Profiles in which {@code .env.local} is not read, so test runs are reproducible. */
  private static final Set<String> TEST_PROFILES = Set.of("testing", "test");
  /** A profile name that can be part of a file name without leaving the folder. */

  /** For ServiceLoader. */
  public DotenvBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int defaultOrdinal() {
    return ORDINAL;
  }

  @Override
  public Activation activation(BackendContext context) {
    Profile profile = context.profile();
    if (profile.strict() && !context.config().bool(IN_PRODUCTION_SETTING, false)) {
      return Activation.inactive(".env files are not read in strict profile '" + profile.name() + "' (set "
          + IN_PRODUCTION_SETTING + "=true to read them anyway)");
    }
    Path dir = directory(context);
    Path shown = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      return Activation.inactive(shown + " is not a directory (" + DIR_SETTING + ")");
    }
    List<String> names;
    try {
      names = fileNames(profile.name());
    } catch (BackendConfigurationException e) {
      // an exotic profile name should not stop an application that only has this jar on its class path
      return Activation.inactive(Objects.toString(e.getMessage(), e.getClass().getSimpleName()));
    }
    List<String> found = new ArrayList<>();
    for (String name : names) {
      if (Files.isRegularFile(dir.resolve(name))) {
        found.add(name);
      }
    }
    if (found.isEmpty()) {
      return Activation.inactive("no .env file in " + shown + " (looked for " + String.join(", ", names) + ")");
    }
    return Activation.active(String.join(", ", found) + " in " + shown);
  }

  @Override
  public SecretBackend create(BackendContext context) {
    Profile profile = context.profile();
    if (profile.strict()) {
      context.logger().log(System.Logger.Level.WARNING, "Reading .env files in strict profile ''{0}'' because "
          + "{1}=true: a developer''s file can now serve production secrets", profile.name(), IN_PRODUCTION_SETTING);
    }
    boolean lenient = context.config().bool(LENIENT_SETTING, false);
    int maxFileSize = context.config().integer(MAX_FILE_SIZE_SETTING, DEFAULT_MAX_FILE_SIZE);
    if (maxFileSize <= 0) {
      throw BackendConfigurationException.setting(MAX_FILE_SIZE_SETTING, "a size in bytes greater than 0, "
          + "such as " + DEFAULT_MAX_FILE_SIZE);
    }
    DotenvSecretBackend backend = new DotenvSecretBackend(directory(context), fileNames(profile.name()),
        context.config().environment(), lenient, maxFileSize, context.clock(), context.logger());
    backend.load(); // a malformed file fails the start, with its name and line, rather than the first read
    return backend;
  }

  /** The folder from {@code SECRETS_DOTENV_DIR}, or the working directory. */
  static Path directory(BackendContext context) {
    Optional<String> configured = context.config().get(DIR_SETTING);
    if (configured.isEmpty()) {
      return Path.of("");
    }
    try {
      return Path.of(configured.get());
    } catch (InvalidPathException e) {
      throw BackendConfigurationException.setting(DIR_SETTING, "expected a folder path");
    }
  }

  /**
   * {@code [a-z0-9][a-z0-9_.-]*}, checked by a loop: the regex engine's first use costs every start-up a few
   * milliseconds (issue 18).
   */
  private static boolean safeProfile(String p) {
    if (p.isEmpty()) {
      return false;
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The files read in {@code profile}, in order, later winning.
   *
   * @throws BackendConfigurationException when the profile name cannot be part of a file name
   */
  static List<String> fileNames(String profile) {
    String p = profile.toLowerCase(Locale.ROOT);
    if (!safeProfile(p)) {
      throw BackendConfigurationException.setting("SECRETS_PROFILE",
          "a profile name made of letters, digits, '.', '_' and '-' (it names .env.<profile> files)");
    }
    Set<String> names = new LinkedHashSet<>();
    names.add(".env");
    names.add(".env." + p);
    if (!TEST_PROFILES.contains(p)) {
      names.add(".env.local");
    }
    names.add(".env." + p + ".local");
    return List.copyOf(names);
  }
}
