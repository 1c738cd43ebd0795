package org.nexusreussite.secrets.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example as the README runs it, over HTTP: secrets from a {@code .env} file reach the beans; the status
 * page, health, the secrets endpoint and {@code /actuator/env} show where they came from and never a value.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "nexus.secrets.dotenv.dir=target/spring-example-it")
@ExtendWith(OutputCaptureExtension.class)
class SpringExampleIT {
  static final String CANARY = "CANARY-5d0c7e19";

  static {
    try {
      Path dir = Files.createDirectories(Path.of("target/spring-example-it"));
      Path env = dir.resolve(".env");
      Files.writeString(env, "SECRET_KEY=" + CANARY + "-secret-key\nJWT_SECRET_KEY=" + CANARY
          + "-jwt\nDATABASE_URL=postgresql://app:" + CANARY + "@localhost/app\n");
      Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @LocalServerPort int port;

  private String get(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  @Test
  void secretsFromDotenvReachTheBeansAndNoResponseOrLogShowsThem(CapturedOutput output) throws Exception {
    String status = get("/status");
    assertThat(status).contains("\"JWT_SECRET_KEY\":\"dotenv").contains("\"jwtKeyLength\":" + (CANARY + "-jwt").length());

    String health = get("/actuator/health");
    assertThat(health).contains("\"secrets\"").contains("\"dotenv\"");

    String describe = get("/actuator/secrets");
    assertThat(describe).contains("\"profile\"").contains("dotenv");
    assertThat(get("/actuator/secrets/JWT_SECRET_KEY")).contains("\"backend\":\"dotenv\"");

    String env = get("/actuator/env/JWT_SECRET_KEY");
    assertThat(env).contains("nexus-secrets").contains("******");
    String configprops = get("/actuator/configprops");
    String metrics = get("/actuator/metrics/nexus.secrets.lookups");
    assertThat(metrics).contains("backend");
    String wholeEnv = get("/actuator/env");
    String refreshes = get("/actuator/metrics/nexus.secrets.refreshes");
    String allMetrics = get("/actuator/metrics");

    for (String body : new String[] {status, health, describe, env, configprops, metrics, wholeEnv, refreshes,
        allMetrics}) {
      assertThat(body).doesNotContain(CANARY);
    }
    assertThat(output.getAll()).doesNotContain(CANARY);
  }
}
