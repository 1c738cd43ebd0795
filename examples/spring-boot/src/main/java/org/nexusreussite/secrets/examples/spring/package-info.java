/**
 * A small Spring Boot web application whose secrets come from the SDK through
 * {@code spring.config.import=nexus-secrets:}.
 */
@NullMarked
package org.nexusreussite.secrets.examples.spring;

import org.jspecify.annotations.NullMarked;
