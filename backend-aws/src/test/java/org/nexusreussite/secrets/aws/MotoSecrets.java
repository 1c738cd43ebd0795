package org.nexusreussite.secrets.aws;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.buildsupport.server.MotoServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Test setup against a moto server: a plain SDK client that writes secrets, and backend settings. */
final class MotoSecrets implements AutoCloseable {
  static final String REGION = "us-east-1";

  private final MotoServer moto;
  private final SecretsManagerClient admin;

  MotoSecrets(MotoServer moto) {
    this.moto = moto;
    this.admin = SecretsManagerClient.builder()
        .endpointOverride(URI.create(moto.endpoint()))
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** Settings pointing the provider at moto, plus {@code extra} (name, value pairs). */
  SecretsConfig config(String... extra) {
    Map<String, String> settings = new HashMap<>(Map.of(
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint(),
        "AWS_REGION", REGION,
        "AWS_ACCESS_KEY_ID", "testing",
        "AWS_SECRET_ACCESS_KEY", "testing",
        "SECRETS_AWS_MAX_ATTEMPTS", "2",
        "SECRETS_AWS_TIMEOUT", "5s"));
    for (int i = 0; i < extra.length; i += 2) {
      settings.put(extra[i], extra[i + 1]);
    }
    return SecretsConfig.of(settings);
  }

  SecretsManagerClient admin() {
    return admin;
  }

  /** Creates the secret or puts a new current version; returns the version id. */
  String put(String name, String value) {
    try {
      return repairLabels(name, admin.putSecretValue(r -> r.secretId(name).secretString(value)).versionId());
    } catch (ResourceNotFoundException e) {
      return admin.createSecret(r -> r.name(name).secretString(value)).versionId();
    }
  }

  /** Creates the secret or puts a new current binary version; returns the version id. */
  String putBinary(String name, byte[] value) {
    try {
      return repairLabels(name,
          admin.putSecretValue(r -> r.secretId(name).secretBinary(SdkBytes.fromByteArray(value))).versionId());
    } catch (ResourceNotFoundException e) {
      return admin.createSecret(r -> r.name(name).secretBinary(SdkBytes.fromByteArray(value))).versionId();
    }
  }

  /**
   * Works around a moto 5.2 bug: after UpdateSecretVersionStage moved AWSCURRENT, PutSecretValue labels
   * the version moto still thinks is current AWSPREVIOUS and leaves AWSCURRENT on the rolled-back one, so
   * two versions are AWSCURRENT. Real AWS moves the label; do the same here so later reads are right.
   */
  private String repairLabels(String name, String newVersionId) {
    admin.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true)).versions().stream()
        .filter(v -> !v.versionId().equals(newVersionId) && v.versionStages().contains("AWSCURRENT"))
        .forEach(v -> admin.updateSecretVersionStage(r -> r.secretId(name).versionStage("AWSCURRENT")
            .removeFromVersionId(v.versionId())));
    return newVersionId;
  }

  /** Puts a JSON object of the given fields as the new current version; returns the version id. */
  String putJson(String name, Map<String, String> fields) {
    return put(name, json(fields));
  }

  /** Adds or replaces one field of a JSON secret, as a new version. */
  String setField(String name, String field, String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    try {
      fields.putAll(JsonFields.parse(admin.getSecretValue(r -> r.secretId(name).versionStage("AWSCURRENT"))
          .secretString()));
    } catch (ResourceNotFoundException e) {
      // first field: the secret is created below
    } catch (JsonFields.JsonProblem e) {
      throw new IllegalStateException("test secret " + name + " is not JSON", e);
    }
    fields.put(field, value);
    return putJson(name, fields);
  }

  static String json(Map<String, String> fields) {
    StringBuilder sb = new StringBuilder("{");
    fields.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(quote(k)).append(':').append(quote(v));
    });
    return sb.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  @Override
  public void close() {
    admin.close();
  }

  /** Records the operation name of every request the client sends (retries included). */
  static final class RequestLog implements ExecutionInterceptor {
    private final List<String> operations = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
      operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    List<String> operations() {
      return List.copyOf(operations);
    }

    long count(String operation) {
      return operations.stream().filter(operation::equals).count();
    }

    void clear() {
      operations.clear();
    }
  }
}
