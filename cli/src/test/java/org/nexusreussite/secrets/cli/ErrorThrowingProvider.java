package org.nexusreussite.secrets.cli;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.BackendContext;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.spi.SecretBackendProvider;

/**
 * A test-only provider (registered in this module's test resources) whose backend throws the {@link Error}
 * named by the setting {@code SECRETS_TEST_ERROR} from every read, as a parser that overflows its stack, a
 * store answer that exhausts the heap, or a jar missing from the class path would. The error's message is
 * {@link #CANARY}, so a test can check that it never reaches the output. Inactive without the setting.
 */
public final class ErrorThrowingProvider implements SecretBackendProvider {
  /** The backend id. */
  public static final String ID = "error-thrower";
  /** The message of every error thrown, standing for a value a real error might quote. */
  public static final String CANARY = "canary-4f1d-in-error-message";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int defaultOrdinal() {
    return 500;
  }

  @Override
  public Activation activation(BackendContext context) {
    return context.config().get("SECRETS_TEST_ERROR")
        .map(kind -> Activation.active("SECRETS_TEST_ERROR=" + kind))
        .orElse(Activation.inactive("SECRETS_TEST_ERROR is not set"));
  }

  @Override
  public SecretBackend create(BackendContext context) {
    String kind = context.config().get("SECRETS_TEST_ERROR").orElseThrow();
    return new SecretBackend() {
      @Override
      public String id() {
        return ID;
      }

      @Override
      public Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
      }

      @Override
      public Optional<Secret> fetch(String key, VersionSelector version) {
        throw error(kind);
      }
    };
  }

  static Error error(String kind) {
    return switch (kind) {
      case "OutOfMemoryError" -> new OutOfMemoryError(CANARY);
      case "StackOverflowError" -> new StackOverflowError(CANARY);
      // as the JVM words it: the missing class's internal name
      case "NoClassDefFoundError" -> new NoClassDefFoundError("com/fasterxml/jackson/annotation/JsonSerializeAs");
      case "NoClassDefFoundErrorWithText" -> new NoClassDefFoundError(CANARY + " and more");
      case "AssertionError" -> new AssertionError(CANARY);
      default -> throw new IllegalStateException("unknown SECRETS_TEST_ERROR " + kind);
    };
  }
}
