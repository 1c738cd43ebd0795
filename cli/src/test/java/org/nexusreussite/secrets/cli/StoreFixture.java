package org.nexusreussite.secrets.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** Base of command tests: an in-memory store the CLI discovers, and a folder for real .env files. */
abstract class StoreFixture {
  final String storeName = "store-" + UUID.randomUUID();
  final InMemorySecretBackend store = new InMemorySecretBackend(MemoryStoreProvider.ID);

  @TempDir
  Path dir;

  @BeforeEach
  void registerStore() {
    MemoryStoreProvider.register(storeName, store);
  }

  @AfterEach
  void unregisterStore() {
    MemoryStoreProvider.unregister(storeName);
  }

  /** The CLI with the store active and .env files read from {@link #dir}. */
  Cli cli() {
    return Cli.isolated().set("SECRETS_TEST_STORE", storeName).set("SECRETS_DOTENV_DIR", dir.toString());
  }

  /** Writes a .env-style file in {@link #dir}, readable by its owner only. */
  Path dotenv(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
