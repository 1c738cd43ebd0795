package org.nexusreussite.secrets.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import net.minidev.json.JSONValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The canary: a known secret value must appear in no log line (the SDK and Spring at DEBUG/TRACE), no
 * actuator response (env and configprops with show-values=always, health, the secrets endpoint, metrics), no
 * event's or source's {@code toString()} and no exception, through start-up, rotation, a failing store and a
 * strict refusal.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsCanaryTest {
  static final String CANARY = "CANARY-b7e1f0d2";

  @Test
  void theCanaryAppearsNowhere(CapturedOutput output) throws Exception {
    InMemorySecretBackend store = MemoryBackendProvider.fresh();
    store.put("JWT_SECRET_KEY", CANARY + "-jwt");
    store.put("DATABASE_URL", "postgres://app:" + CANARY + "@db/app");
    List<String> seen = new ArrayList<>();

    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(TestApp.class)
        .web(WebApplicationType.NONE)
        .properties("spring.config.import=nexus-secrets:", "app.jwt.key=${JWT_SECRET_KEY}",
            "app.db.url=${DATABASE_URL}", "nexus.secrets.required=JWT_SECRET_KEY,DATABASE_URL",
            "nexus.secrets.spring.refresh-debounce=20ms",
            "management.endpoints.web.exposure.include=*", "management.endpoint.env.show-values=always",
            "management.endpoint.configprops.show-values=always",
            "logging.level.org.nexusreussite=TRACE", "logging.level.org.springframework.boot.context.config=TRACE",
            "logging.level.org.springframework.cloud=DEBUG", "logging.level.org.springframework.core.env=DEBUG")
        .run()) {
      TestApp.JwtProperties jwt = ctx.getBean(TestApp.JwtProperties.class);
      assertThat(jwt.getKey()).isEqualTo(CANARY + "-jwt"); // the canary is really served
      SecretResolver resolver = ctx.getBean(SecretResolver.class);

      store.put("JWT_SECRET_KEY", CANARY + "-jwt-rotated");
      resolver.admin().refresh("JWT_SECRET_KEY");
      SecretsSpringBootTest.await(() -> jwt.getKey().endsWith("-rotated"));
      seen.add(ctx.getBean(TestApp.Events.class).rotations.toString());

      seen.add(json(ctx.getBean(EnvironmentEndpoint.class).environment(null)));
      seen.add(json(ctx.getBean(EnvironmentEndpoint.class).environmentEntry("JWT_SECRET_KEY")));
      seen.add(json(ctx.getBean(EnvironmentEndpoint.class).environmentEntry("app.db.url")));
      seen.add(json(ctx.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties()));
      // the responses were really rendered, with the secrets masked where they were
      assertThat(seen.get(seen.size() - 3)).contains("******").contains(SecretsPropertySource.NAME);
      assertThat(seen.get(seen.size() - 1)).contains("app.jwt").contains("******");
      seen.add(ctx.getBean(SecretsHealthIndicator.class).health().toString());
      seen.add(json(ctx.getBean(SecretsEndpoint.class).describe()));
      seen.add(json(ctx.getBean(SecretsEndpoint.class).explain("JWT_SECRET_KEY")));
      for (Meter m : ctx.getBean(MeterRegistry.class).getMeters()) {
        seen.add(m.getId().toString());
      }
      seen.add(ctx.getEnvironment().getPropertySources().toString());
      seen.add(resolver.inspect().describe().toString());

      store.failAlways(() -> new IllegalStateException("store down"));
      seen.add(trace(catchThrowable(() -> resolver.admin().refresh("JWT_SECRET_KEY"))));
      seen.add(ctx.getBean(SecretsHealthIndicator.class).health().toString());
      seen.add(trace(catchThrowable(() -> ctx.getEnvironment().getProperty("NOT_THERE_KEY"))));
      store.recover();
    }

    seen.add(trace(catchThrowable(() -> new SpringApplicationBuilder(TestApp.class).web(WebApplicationType.NONE)
        .properties("spring.config.import=nexus-secrets:", "app.jwt.key=${JWT_SECRET_KEY}",
            "nexus.secrets.required=JWT_SECRET_KEY,MISSING_KEY")
        .profiles("production").run())));

    assertThat(output.getAll()).contains("JWT_SECRET_KEY").doesNotContain(CANARY);
    for (String s : seen) {
      assertThat(s).doesNotContain(CANARY);
    }
  }

  private static String json(Object o) {
    return JSONValue.toJSONString(o);
  }

  private static String trace(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
