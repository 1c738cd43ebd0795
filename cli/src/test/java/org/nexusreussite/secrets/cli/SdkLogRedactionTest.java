package org.nexusreussite.secrets.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/** A value served by the command's resolver never reaches stderr through the SDK's log, should one carry it. */
class SdkLogRedactionTest {

  @Test
  void aServedValueInALoggedLineIsPrintedAndKeptAsItsMarker() {
    InMemorySecretBackend mem = new InMemorySecretBackend("mem");
    mem.put("API_KEY", "canary-cli-5Tq8Wz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (SecretResolver resolver = SecretResolver.builder().backend(mem, 300).build();
        SdkLog log = new SdkLog(err, false)) {
      log.follow(resolver);
      resolver.resolve("API_KEY");
      System.getLogger("org.nexusreussite.secrets.test").log(System.Logger.Level.WARNING,
          "a listener said canary-cli-5Tq8Wz");
      assertThat(log.warnings()).containsExactly("a listener said [secret:API_KEY]");
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("secrets: warning: a listener said [secret:API_KEY]")
        .doesNotContain("canary-cli-5Tq8Wz");
  }
}
