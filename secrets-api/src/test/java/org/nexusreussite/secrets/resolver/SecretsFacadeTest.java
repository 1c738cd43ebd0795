package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Secrets;

class SecretsFacadeTest {

  @AfterEach
  void resetDefault() {
    SecretResolver previous = Secrets.setDefault(null);
    if (previous != null) {
      previous.close();
    }
  }

  @Test
  void resolvesEnvironmentVariablesWithNoSetupAtAll() {
    Map.Entry<String, String> variable = System.getenv().entrySet().stream()
        .filter(e -> e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") && !e.getValue().isBlank())
        .findFirst().orElseThrow();
    assertThat(Secrets.resolve(variable.getKey())).isEqualTo(variable.getValue());
    assertThat(Secrets.secret(variable.getKey()).backend()).isEqualTo("env");
    assertThat(Secrets.find("NO_SUCH_VARIABLE_" + System.nanoTime())).isEmpty();
  }

  @Test
  void theLazyDefaultIsBuiltOnceUnderConcurrentFirstUse() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<SecretResolver>> seen = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        seen.add(pool.submit(Secrets::resolver));
      }
      SecretResolver first = seen.get(0).get();
      for (Future<SecretResolver> f : seen) {
        assertThat(f.get()).isSameAs(first);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aResolverSetInCodeIsUsed() {
    ResolverFixture f = new ResolverFixture();
    var backend = f.backend("memory");
    backend.put("DATABASE_URL", "postgres://memory");
    Secrets.setDefault(f.builder().backend(backend, 300).build());
    assertThat(Secrets.resolve("DATABASE_URL")).isEqualTo("postgres://memory");
    assertThat(Secrets.resolve("ABSENT", "fallback")).isEqualTo("fallback");
  }
}
