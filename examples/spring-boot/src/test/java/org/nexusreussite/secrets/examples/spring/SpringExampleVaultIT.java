package org.nexusreussite.secrets.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example as the README runs it with {@code --spring.profiles.active=vault}, against a real OpenBao: the
 * same code, the secrets now served by Vault (VAULT_ADDR and VAULT_TOKEN given as properties here, as the
 * environment would), and no response shows a value.
 */
class SpringExampleVaultIT {
  private static final String CANARY = "CANARY-vault-7b31";

  @Test
  void theVaultProfileServesTheSameKeysFromVault() throws Exception {
    OpenBaoServer bao = OpenBaoServer.shared();
    String path = "secret/example-" + UUID.randomUUID();
    bao.api("POST", "/v1/" + path.replaceFirst("^secret/", "secret/data/"),
        "{\"data\":{\"SECRET_KEY\":\"" + CANARY + "-secret\",\"JWT_SECRET_KEY\":\"" + CANARY + "-jwt\","
            + "\"DATABASE_URL\":\"postgresql://app:" + CANARY + "@localhost/app\"}}");
    try (ConfigurableApplicationContext ctx = SpringApplication.run(SpringExampleApp.class,
        "--spring.profiles.active=vault", "--server.port=0", "--vault.addr=" + bao.address(),
        "--vault.token=" + bao.rootToken(), "--EXAMPLE_VAULT_PATH=" + path)) {
      int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port", "0"));
      String status = get(port, "/status");
      assertThat(status).contains("\"JWT_SECRET_KEY\":\"vault").contains("\"DATABASE_URL\":\"vault")
          .doesNotContain(CANARY);
      assertThat(get(port, "/actuator/env")).doesNotContain(CANARY);
    }
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }
}
