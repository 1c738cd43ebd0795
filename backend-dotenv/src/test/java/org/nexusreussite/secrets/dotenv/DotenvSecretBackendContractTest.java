package org.nexusreussite.secrets.dotenv;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.SecretBackendContractTest;

/** The SPI contract over a real {@code .env} file that {@link #store} rewrites, as an editor would. */
class DotenvSecretBackendContractTest extends SecretBackendContractTest {

  @TempDir
  Path dir;

  private final Map<String, String> file = new LinkedHashMap<>();

  @Override
  protected SecretBackend createBackend() throws Exception {
    if (!Files.exists(dir.resolve(".env"))) {
      rewrite();
    }
    return new DotenvBackendProvider().create(TestBackendContext.of(DotenvBackendProvider.ID, Map.of("SECRETS_DOTENV_DIR", dir.toString())));
  }

  @Override
  protected void store(String key, String value) throws Exception {
    file.put(key, value);
    rewrite();
  }

  /** Writes every key, double-quoted and escaped, to a temporary file moved over .env atomically. */
  private void rewrite() throws Exception {
    StringBuilder sb = new StringBuilder("# written by DotenvSecretBackendContractTest\n");
    file.forEach((k, v) -> sb.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")
        .replace("$", "\\$").replace("\n", "\\n")).append("\"\n"));
    Path tmp = Files.createTempFile(dir, "env", ".tmp");
    Files.writeString(tmp, sb, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(".env"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void declaresListingOnly() {
    assertThat(capabilities()).containsExactly(Capability.LISTING);
  }

  @Test
  void valuesWithQuotesDollarsAndNewlinesSurviveTheRoundTrip() throws Exception {
    String key = newKey();
    String value = "a \"quoted\" $HOME\\path\nsecond line #not-a-comment";
    store(key, value);
    assertThat(backend.fetch(key, org.nexusreussite.secrets.VersionSelector.latest()).orElseThrow().reveal())
        .isEqualTo(value);
  }
}
