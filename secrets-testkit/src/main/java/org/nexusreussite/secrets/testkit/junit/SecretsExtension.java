package org.nexusreussite.secrets.testkit.junit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretResolverBuilder;
import org.nexusreussite.secrets.SecretsConfig;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.nexusreussite.secrets.testkit.ManualClock;
import org.nexusreussite.secrets.testkit.ManualScheduler;

/**
 * The extension behind {@link SecretsTest}; use the annotation rather than registering this directly.
 * Keeps each test's {@link SecretsFixture} in that test's {@code ExtensionContext.Store}, so parallel
 * tests share nothing. Thread-safe: it has no state of its own.
 */
public final class SecretsExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SecretsExtension.class);
  private static final String FIXTURE = "fixture";
  private static final Set<Class<?>> INJECTABLE = Set.of(SecretsFixture.class, SecretResolver.class,
      InMemorySecretBackend.class, ManualClock.class, ManualScheduler.class);
  /** The resolver is built without reading the process's environment: tests see only their seeds. */
  private static final int ORDINAL = 300;

  /** Public for JUnit. */
  public SecretsExtension() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    fixture(context).install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    SecretsFixture fixture = context.getStore(NAMESPACE).remove(FIXTURE, SecretsFixture.class);
    if (fixture != null) {
      fixture.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return INJECTABLE.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException("@SecretsTest injects "
          + parameter.getParameter().getType().getSimpleName() + " into test methods and @BeforeEach/@AfterEach "
          + "methods only (each test has its own); " + parameter.getDeclaringExecutable()
          + " is not one: move the parameter to a @BeforeEach method");
    }
    SecretsFixture fixture = fixture(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == SecretResolver.class) {
      return fixture.resolver();
    }
    if (type == InMemorySecretBackend.class) {
      return fixture.backend();
    }
    if (type == ManualClock.class) {
      return fixture.clock();
    }
    if (type == ManualScheduler.class) {
      return fixture.scheduler();
    }
    return fixture;
  }

  private static SecretsFixture fixture(ExtensionContext context) {
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(FIXTURE, k -> create(context), SecretsFixture.class);
  }

  private static SecretsFixture create(ExtensionContext context) {
    SecretsTest settings = settings(context.getRequiredTestClass());
    SecretsConfig parser = SecretsConfig.of(Map.of("refresh", settings.refresh(), "maxStale", settings.maxStale()));
    Duration refresh = parser.duration("refresh", Duration.ofMinutes(5));
    Duration maxStale = parser.duration("maxStale", Duration.ofHours(1));
    ManualClock clock = new ManualClock();
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemorySecretBackend backend = settings.watch()
        ? new InMemorySecretBackend(settings.backendId(), clock)
        : new InMemorySecretBackend(settings.backendId(), EnumSet.complementOf(EnumSet.of(Capability.WATCH)), clock);
    seeds(context).forEach(backend::put);
    SecretResolverBuilder builder = SecretResolver.builder()
        .config(SecretsConfig.empty())
        .profile(settings.profile())
        .backend(backend, ORDINAL)
        .clock(clock)
        .scheduler(scheduler)
        .refreshInterval(refresh)
        .maxStale(maxStale);
    if (settings.required().length > 0) {
      builder.require(settings.required());
    }
    return new SecretsFixture(backend, clock, scheduler, builder.build(), refresh, settings.installDefault());
  }

  /** Outer classes first, then inner, then the method: later seeds of a key win. */
  private static Map<String, String> seeds(ExtensionContext context) {
    List<Class<?>> classes = new ArrayList<>();
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = enclosing(c)) {
      classes.add(0, c);
    }
    Map<String, String> seeds = new LinkedHashMap<>();
    for (Class<?> c : classes) {
      AnnotationSupport.findRepeatableAnnotations(c, TestSecret.class)
          .forEach(s -> seeds.put(s.key(), s.value()));
    }
    Optional<Method> method = context.getTestMethod();
    method.ifPresent(m -> AnnotationSupport.findRepeatableAnnotations(m, TestSecret.class)
        .forEach(s -> seeds.put(s.key(), s.value())));
    return seeds;
  }

  private static @Nullable Class<?> enclosing(Class<?> c) {
    // only @Nested (inner, non-static) classes inherit their enclosing class's setup
    return java.lang.reflect.Modifier.isStatic(c.getModifiers()) ? null : c.getEnclosingClass();
  }

  /** The nearest {@code @SecretsTest}: on the class, a superclass, or an enclosing class of a @Nested one. */
  static SecretsTest settings(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = enclosing(c)) {
      Optional<SecretsTest> found = AnnotationSupport.findAnnotation(c, SecretsTest.class);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new ExtensionConfigurationException("SecretsExtension needs @SecretsTest on " + testClass.getName()
        + " or an enclosing class; annotate the class with @SecretsTest instead of @ExtendWith");
  }

  /**
   * Gives each test method that installs the {@code Secrets} default the read-write lock
   * {@link SecretsTest#SECRETS_DEFAULT}; classes take none, so their other tests stay parallel.
   */
  public static final class DefaultResolverLock implements ResourceLocksProvider {
    /** Public for JUnit. */
    public DefaultResolverLock() {}

    @Override
    public Set<Lock> provideForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass, Method testMethod) {
      return installsDefault(testClass)
          ? Set.of(new Lock(SecretsTest.SECRETS_DEFAULT, ResourceAccessMode.READ_WRITE)) : Set.of();
    }

    private static boolean installsDefault(Class<?> testClass) {
      try {
        return settings(testClass).installDefault();
      } catch (ExtensionConfigurationException e) {
        // no @SecretsTest found: the extension will fail the test with that message; lock to be safe
        return true;
      }
    }
  }
}
