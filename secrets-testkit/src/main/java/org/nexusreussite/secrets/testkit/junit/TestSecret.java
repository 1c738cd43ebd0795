package org.nexusreussite.secrets.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A secret the test's in-memory store holds when the test starts. On the test class (every test, and
 * the tests of {@code @Nested} classes inside it) or on a test method; a method's value for a key wins
 * over the class's, an inner class's over an outer one's. Repeatable.
 *
 * <pre>{@code
 * @SecretsTest
 * @TestSecret(key = "DATABASE_URL", value = "postgres://localhost/test")
 * class RepositoryTest {
 *   @Test
 *   @TestSecret(key = "DB_PASSWORD", value = "s3cret")
 *   void connects() { ... Secrets.resolve("DB_PASSWORD") ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(TestSecrets.class)
public @interface TestSecret {
  /** The key, a valid secret key ({@code [A-Za-z_][A-Za-z0-9_.-]*}). */
  String key();

  /** The value served for the key. */
  String value();
}
