package org.nexusreussite.secrets.benchmarks;

import com.amazonaws.services.secretsmanager.AbstractAWSSecretsManager;
import com.amazonaws.services.secretsmanager.model.DescribeSecretRequest;
import com.amazonaws.services.secretsmanager.model.DescribeSecretResult;
import com.amazonaws.services.secretsmanager.model.GetSecretValueRequest;
import com.amazonaws.services.secretsmanager.model.GetSecretValueResult;
import com.amazonaws.services.secretsmanager.model.ResourceNotFoundException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An AWS SDK v1 Secrets Manager client that answers from memory (no network): enough of
 * DescribeSecret and GetSecretValue for aws-secretsmanager-caching-java's {@code SecretCache}.
 * Every other operation throws {@code UnsupportedOperationException} (inherited).
 */
final class StubAwsSecretsManager extends AbstractAWSSecretsManager {
  private static final String VERSION_ID = "00000000-0000-0000-0000-000000000001";
  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final AtomicLong calls = new AtomicLong();

  void put(String name, String value) {
    values.put(name, value);
  }

  long calls() {
    return calls.get();
  }

  @Override
  public DescribeSecretResult describeSecret(DescribeSecretRequest request) {
    calls.incrementAndGet();
    String name = request.getSecretId();
    if (!values.containsKey(name)) {
      throw new ResourceNotFoundException("Secrets Manager can't find the specified secret.");
    }
    return new DescribeSecretResult()
        .withName(name)
        .withARN("arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + name)
        .withVersionIdsToStages(Map.of(VERSION_ID, List.of("AWSCURRENT")));
  }

  @Override
  public GetSecretValueResult getSecretValue(GetSecretValueRequest request) {
    calls.incrementAndGet();
    String name = request.getSecretId();
    String value = values.get(name);
    if (value == null) {
      throw new ResourceNotFoundException("Secrets Manager can't find the specified secret.");
    }
    return new GetSecretValueResult()
        .withName(name)
        .withARN("arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + name)
        .withVersionId(VERSION_ID)
        .withVersionStages(List.of("AWSCURRENT"))
        .withSecretString(value);
  }
}
