package org.nexusreussite.secrets.buildsupport.server;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A real moto server ({@code moto_server}) on a free port, standing in for AWS Secrets Manager. Use
 * {@link #shared()} for one server per test JVM and {@link #reset()} between tests.
 */
public final class MotoServer extends LocalProcessServer {

  private static @Nullable MotoServer shared;

  /** A server not yet started; call {@link #start()}. */
  public MotoServer() {
    super("moto");
  }

  /** One started server for the whole test JVM, stopped at exit. */
  public static synchronized MotoServer shared() {
    if (shared == null) {
      MotoServer server = new MotoServer();
      server.start();
      shared = server;
    }
    return shared;
  }

  @Override
  protected List<String> command(int port) {
    return List.of(TestTools.executable("moto_server").toString(), "-H", "127.0.0.1", "-p", Integer.toString(port));
  }

  @Override
  protected Map<String, String> environment() {
    return Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing",
        "AWS_DEFAULT_REGION", "us-east-1");
  }

  @Override
  protected String readinessPath() {
    return "/moto-api/";
  }

  /** The endpoint to give the AWS client ({@code endpointOverride}). */
  public String endpoint() {
    return baseUrl();
  }

  /** Clears every secret and version. */
  public void reset() {
    int status = send("POST", "/moto-api/reset", "", Map.of()).statusCode();
    if (status != 200) {
      throw new IllegalStateException("moto reset answered " + status);
    }
  }
}
