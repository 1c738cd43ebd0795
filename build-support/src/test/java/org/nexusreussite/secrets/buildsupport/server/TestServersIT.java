package org.nexusreussite.secrets.buildsupport.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers start real servers; a missing tool fails here rather than skipping anything. */
class TestServersIT {

  @Test
  void openBaoDevServerServesKvVersionTwo() {
    OpenBaoServer bao = OpenBaoServer.shared();
    bao.api("POST", "/v1/secret/data/testkit", "{\"data\":{\"PING\":\"pong\"}}");
    assertThat(bao.api("GET", "/v1/secret/data/testkit", null)).contains("\"PING\":\"pong\"");
    assertThat(bao.apiResponse("GET", "/v1/secret/data/absent", null).statusCode()).isEqualTo(404);
  }

  @Test
  void openBaoWithTlsServesHttpsTrustingItsGeneratedCa(@TempDir Path certs) throws Exception {
    try (OpenBaoServer bao = OpenBaoServer.withTls(certs.resolve("tls"))) {
      bao.start();
      assertThat(bao.address()).isEqualTo("https://127.0.0.1:" + bao.port());
      assertThat(Files.readString(bao.caCert())).startsWith("-----BEGIN CERTIFICATE-----");
      bao.api("POST", "/v1/secret/data/testkit", "{\"data\":{\"PING\":\"pong\"}}");
      assertThat(bao.api("GET", "/v1/secret/data/testkit", null)).contains("\"PING\":\"pong\"");
    }
  }

  @Test
  void motoServerAnswersAndResets() {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    assertThat(moto.endpoint()).startsWith("http://127.0.0.1:");
  }
}
