package org.nexusreussite.secrets.spring;

import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Subscription;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks secrets in {@code /actuator/env} and {@code /actuator/configprops} the way Spring masks sanitized
 * values ({@code ******}), even with {@code management.endpoint.*.show-values=always}: every entry of the
 * {@code nexus-secrets} property source, and every entry elsewhere whose value contains the value of a
 * secret the property source has served (a {@code @ConfigurationProperties} field bound through
 * {@code ${KEY}}, a placeholder resolved into another property), or the value such a secret had at first or
 * before one of its last two rotations (a bean not rebound still holds it). Costs one cache hit per served key per
 * entry shown, only when an endpoint is read.
 */
final class SecretsSanitizingFunction implements SanitizingFunction, AutoCloseable {
  private final SecretResolver resolver;
  private final ServedKeys servedKeys;
  private final Subscription rotations;

  SecretsSanitizingFunction(SecretResolver resolver, ServedKeys servedKeys) {
    this.resolver = resolver;
    this.servedKeys = servedKeys;
    // a bean bound before a rotation and not rebound keeps the old value: it must stay masked
    this.rotations = resolver.onRotation(rotation -> rotation.previous()
        .ifPresent(previous -> servedKeys.retire(rotation.key(), previous.reveal())));
  }

  /** Stops following rotations; called by Spring when the context closes. */
  @Override
  public void close() {
    rotations.close();
  }

  @Override
  public SanitizableData apply(SanitizableData data) {
    if (data.getPropertySource() instanceof SecretsPropertySource) {
      return data.withSanitizedValue();
    }
    Object value = data.getValue();
    if (value == null) {
      return data;
    }
    String text = value.toString();
    if (text.isEmpty()) {
      return data;
    }
    for (String key : servedKeys.snapshot()) {
      String secret;
      try {
        secret = resolver.find(key).orElse(null);
      } catch (RuntimeException e) {
        // the backend failed and nothing is cached: mask, since we cannot tell
        return data.withSanitizedValue();
      }
      if (secret != null && !secret.isEmpty() && text.contains(secret)) {
        return data.withSanitizedValue();
      }
    }
    for (String earlier : servedKeys.retiredValues()) {
      if (text.contains(earlier)) {
        return data.withSanitizedValue();
      }
    }
    return data;
  }
}
