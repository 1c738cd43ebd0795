/**
 * Spring Boot integration: {@code spring.config.import=nexus-secrets:} serves {@code ${KEY}} placeholders,
 * {@code @Value} and {@code @ConfigurationProperties} through the SDK's resolver, and the auto-configuration
 * adds the resolver bean, a health indicator, metrics, an actuator endpoint and rotation events.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.spring;

import org.jspecify.annotations.NullMarked;
