package org.nexusreussite.secrets.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;
import org.nexusreussite.secrets.buildsupport.server.OpenBaoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Issue 12, finding 2: every backend loaded and used together on one class path, the shaded CLI jar's, as a
 * process with each store active at once: .env (a file), Vault (a real OpenBao), AWS (a real moto), Kubernetes
 * Secret objects (fabric8's mock API server in CRUD mode, through a kubeconfig) and Azure Key Vault (the real
 * Azure client over HTTPS against WireMock answering the documented REST API, authenticated by
 * {@code DefaultAzureCredential} through the App Service managed-identity endpoint it reads from
 * {@code IDENTITY_ENDPOINT}). Before the Jackson fix, the k8s backend died here with
 * {@code NoClassDefFoundError: com/fasterxml/jackson/annotation/JsonSerializeAs}.
 *
 * <p>The Azure client refuses a challenge whose resource does not match the vault's host, so the vault is
 * reached as {@code fake.vault.azure.net}, which the child JVM resolves to 127.0.0.1 through
 * {@code -Djdk.net.hosts.file}; WireMock's certificate (made here with keytool) names that host, and the child
 * trusts it through {@code javax.net.ssl.trustStore}.
 */
class AllBackendsJarIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String VAULT_HOST = "fake.vault.azure.net";
  private static final String PASSWORD = "changeit";
  private static final String NAMESPACE = "secrets-it";

  /**
   * The mock API server in CRUD mode, without a fabric8 client: this module's test class path has only the model
   * jars the CLI jar carries (core and common), and fabric8's client DSL needs them all.
   */
  private static KubernetesMockServer server;

  @TempDir
  static Path dir;

  private static Path jar;
  private static OpenBaoServer bao;
  private static MotoServer moto;
  private static WireMockServer azure;
  private static final Map<String, String> env = new HashMap<>();
  private static final List<String> jvmOptions = new ArrayList<>();

  @BeforeAll
  static void startEveryStore() throws Exception {
    jar = Path.of(System.getProperty("secrets.cli.jar", "target/secrets-cli-0.1.0-SNAPSHOT-all.jar"));
    assertThat(jar).as("the shaded jar is built by 'package' before integration tests").isRegularFile();

    // .env
    Path dotenv = dir.resolve(".env");
    Files.writeString(dotenv, "DOTENV_KEY=from-dotenv\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(dotenv, PosixFilePermissions.fromString("rw-------"));

    // Vault: a real OpenBao, the default path secret/nexus-reussite
    bao = new OpenBaoServer();
    bao.start();
    bao.api("POST", "/v1/secret/data/nexus-reussite", "{\"data\":{\"VAULT_KEY\":\"from-vault\"}}");
    env.put("VAULT_ADDR", bao.address());
    env.put("VAULT_TOKEN", bao.rootToken());

    // AWS: a real moto, one JSON secret
    moto = new MotoServer();
    moto.start();
    try (SecretsManagerClient admin = SecretsManagerClient.builder()
        .endpointOverride(URI.create(moto.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .build()) {
      admin.createSecret(r -> r.name("all-backends").secretString("{\"AWS_KEY\":\"from-aws\"}"));
    }
    env.putAll(Map.of("SECRETS_AWS_SECRET_ID", "all-backends", "AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint(),
        "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));

    // Kubernetes: a Secret object in the mock API server, reached through a kubeconfig as in a real setup
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    String masterUrl = "http://127.0.0.1:" + server.getPort();
    HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(masterUrl + "/api/v1/namespaces/" + NAMESPACE + "/secrets"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":"
            + "{\"name\":\"app\",\"namespace\":\"" + NAMESPACE + "\"},\"stringData\":{\"K8S_KEY\":\"from-k8s\"}}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as("Secret created in the mock API server").isEqualTo(201);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1", "kind: Config",
        "clusters:", "- name: mock", "  cluster:", "    server: " + masterUrl,
        "users:", "- name: test", "  user:", "    token: test-token",
        "contexts:", "- name: mock", "  context:", "    cluster: mock", "    user: test",
        "    namespace: " + NAMESPACE,
        "current-context: mock", ""));
    env.putAll(Map.of("KUBECONFIG", kubeconfig.toString(), "SECRETS_K8S_SECRET", "app"));

    // Azure: WireMock over HTTPS as fake.vault.azure.net, with a managed-identity token endpoint
    startAzure();
  }

  private static void startAzure() throws Exception {
    Path keystore = dir.resolve("wiremock.p12");
    Path cert = dir.resolve("wiremock.crt");
    Path truststore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "wiremock", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=" + VAULT_HOST, "-ext", "SAN=dns:" + VAULT_HOST + ",ip:127.0.0.1",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-alias", "wiremock", "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "wiremock", "-file", cert.toString(),
        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);

    azure = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort()
        .keystorePath(keystore.toString()).keystoreType("PKCS12")
        .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD));
    azure.start();
    String vaultUrl = "https://" + VAULT_HOST + ":" + azure.httpsPort();

    // the App Service managed-identity endpoint (api-version 2019-08-01), as DefaultAzureCredential calls it
    azure.stubFor(get(urlPathEqualTo("/msi/token")).atPriority(1)
        .withHeader("X-IDENTITY-HEADER", matching("test-identity-header"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"access_token\":"
            + "\"fake-token\",\"expires_on\":\"" + (Instant.now().getEpochSecond() + 3600) + "\",\"resource\":"
            + "\"https://vault.azure.net\",\"token_type\":\"Bearer\",\"client_id\":\"test-client\"}")));
    // challenge authentication: the first request comes without a token
    azure.stubFor(get(urlPathMatching("/secrets.*")).atPriority(2)
        .withHeader("Authorization", absent())
        .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer authorization="
            + "\"https://login.example/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"")));
    azure.stubFor(get(urlPathEqualTo("/secrets/AZURE-KEY/")).atPriority(3)
        .withHeader("Authorization", matching("Bearer fake-token"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"value\":\"from-azure\","
            + "\"id\":\"" + vaultUrl + "/secrets/AZURE-KEY/0123456789abcdef0123456789abcdef\",\"attributes\":"
            + "{\"enabled\":true,\"created\":1700000000,\"updated\":1700000000}}")));
    azure.stubFor(get(urlPathEqualTo("/secrets")).atPriority(3)
        .withHeader("Authorization", matching("Bearer fake-token"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"value\":[{\"id\":\""
            + vaultUrl + "/secrets/AZURE-KEY\",\"attributes\":{\"enabled\":true,\"created\":1700000000,"
            + "\"updated\":1700000000}}],\"nextLink\":null}")));
    azure.stubFor(get(urlPathMatching("/secrets/.*")).atPriority(4)
        .withHeader("Authorization", matching("Bearer fake-token"))
        .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
            .withBody("{\"error\":{\"code\":\"SecretNotFound\",\"message\":\"not found\"}}")));

    Path hosts = dir.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1 " + VAULT_HOST + "\n127.0.0.1 localhost\n");
    jvmOptions.addAll(List.of("-Djdk.net.hosts.file=" + hosts,
        "-Djavax.net.ssl.trustStore=" + truststore, "-Djavax.net.ssl.trustStoreType=PKCS12",
        "-Djavax.net.ssl.trustStorePassword=" + PASSWORD));
    env.putAll(Map.of("AZURE_KEYVAULT_URL", vaultUrl,
        "IDENTITY_ENDPOINT", "https://" + VAULT_HOST + ":" + azure.httpsPort() + "/msi/token",
        "IDENTITY_HEADER", "test-identity-header",
        "SECRETS_AZURE_MAX_RETRIES", "0"));
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }

  @AfterAll
  static void stopEveryStore() {
    if (server != null) {
      server.destroy();
    }
    if (azure != null) {
      azure.stop();
    }
    if (moto != null) {
      moto.close();
    }
    if (bao != null) {
      bao.close();
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run jar(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    // a clean environment: nothing of the build machine's settings or credentials
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().put("HOME", dir.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    boolean finished = p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    assertThat(finished).as("finished within %s: %s", TIMEOUT, Files.readString(err)).isTrue();
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void doctorFindsEveryBackendActiveAndUp() throws Exception {
    Run r = jar("doctor");

    assertThat(r.code()).as("doctor: %s%n%s", r.out(), r.err()).isZero();
    for (String id : List.of("env", "dotenv", "vault", "aws", "azure", "k8s")) {
      assertThat(r.out()).as("doctor output").containsPattern("\\+ " + id + " +\\d+ +active");
    }
    assertThat(r.out()).containsPattern("\n  azure +UP ").containsPattern("\n  k8s +UP ").contains("Result: OK");
    assertThat(r.out() + r.err()).doesNotContain("NoClassDefFoundError").doesNotContain("DOWN");
  }

  @Test
  void getServesAKeyFromEachBackendInOneRun() throws Exception {
    Map<String, String> expected = Map.of("DOTENV_KEY", "dotenv", "VAULT_KEY", "vault", "AWS_KEY", "aws",
        "K8S_KEY", "k8s", "AZURE_KEY", "azure");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Run r = jar("get", e.getKey(), "--format", "json");

      assertThat(r.code()).as("get %s: %s", e.getKey(), r.err()).isZero();
      assertThat(r.out()).containsPattern("\"backend\": *\"" + e.getValue() + "\"")
          .containsPattern("\"value\": *\"from-" + e.getValue() + "\"");
      assertThat(r.err()).as("get %s", e.getKey()).doesNotContain("Exception").doesNotContain("Error");
    }
  }
}
