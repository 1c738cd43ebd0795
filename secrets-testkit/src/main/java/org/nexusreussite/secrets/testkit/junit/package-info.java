/**
 * A JUnit 5 extension: {@link org.nexusreussite.secrets.testkit.junit.SecretsTest} gives each test an
 * in-memory resolver seeded by {@link org.nexusreussite.secrets.testkit.junit.TestSecret}, installed as
 * the {@code Secrets} default for the test, with rotation and outage helpers on a manual clock.
 *
 * <p>Null-marked: types are non-null unless annotated {@code @Nullable}, checked by NullAway at compile
 * time.
 */
@NullMarked
package org.nexusreussite.secrets.testkit.junit;

import org.jspecify.annotations.NullMarked;
