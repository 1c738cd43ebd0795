package org.nexusreussite.secrets.dotenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.SecretBackend;

/** The dotenv backend built in code with public API only: its provider and {@link BackendContext#builder}. */
class DotenvBuiltInCodeTest {

  @Test
  void isBuiltInCodeWithThePublicContextBuilder(@TempDir Path dir) throws Exception {
    Path env = Files.writeString(dir.resolve(".env"), "API_KEY=from-dotenv\n");
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    BackendContext context = BackendContext.builder(DotenvBackendProvider.ID)
        .config(SecretsConfig.of(Map.of(DotenvBackendProvider.DIR_SETTING, dir.toString())))
        .build();

    try (SecretBackend backend = new DotenvBackendProvider().create(context);
        SecretResolver resolver = SecretResolver.builder().backend(backend, DotenvBackendProvider.ORDINAL).build()) {

      assertThat(backend.fetch("API_KEY", VersionSelector.latest())).map(s -> s.value().reveal())
          .contains("from-dotenv");
      assertThat(resolver.resolve("API_KEY")).isEqualTo("from-dotenv");
    }
  }
}
