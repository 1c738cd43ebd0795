package org.nexusreussite.secrets.spring;

import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Subscription;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns every resolver rotation into a {@link SecretRotatedEvent} in the application context. Subscribes once
 * every singleton exists (so listeners are in place), unsubscribes when the context closes.
 */
final class SecretsRotationPublisher implements SmartInitializingSingleton, DisposableBean {
  private final SecretResolver resolver;
  private final ApplicationEventPublisher publisher;
  private volatile @Nullable Subscription subscription;

  SecretsRotationPublisher(SecretResolver resolver, ApplicationEventPublisher publisher) {
    this.resolver = resolver;
    this.publisher = publisher;
  }

  @Override
  public void afterSingletonsInstantiated() {
    subscription = resolver.onRotation(rotation -> publisher.publishEvent(new SecretRotatedEvent(resolver, rotation)));
  }

  @Override
  public void destroy() {
    Subscription s = subscription;
    if (s != null) {
      s.close();
    }
  }
}
