package org.nexusreussite.secrets.testkit.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
  void motoServerAnswersAndResets() {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    assertThat(moto.endpoint()).startsWith("http://127.0.0.1:");
  }
}
