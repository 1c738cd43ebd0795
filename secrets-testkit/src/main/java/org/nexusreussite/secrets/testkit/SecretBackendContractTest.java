package org.nexusreussite.secrets.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * The SPI contract every backend passes. Extend it in the backend's tests, give it a way to create the
 * backend and to write a value into the store behind it, and it checks: an unknown key is empty, not
 * an exception; stored values come back; versions are newest first and fetchable by id when
 * {@link Capability#VERSIONS} is declared; undeclared capabilities throw
 * {@link UnsupportedCapabilityException}; concurrent fetches are safe; close is idempotent; and no
 * message or {@code toString()} contains a value.
 *
 * <p>Each test writes its own keys (from {@link #newKey()}), so a store shared between tests is fine.
 */
public abstract class SecretBackendContractTest {

  private static final AtomicInteger KEY_COUNTER = new AtomicInteger();

  /** The backend under test, created before each test and closed after it. */
  protected SecretBackend backend;

  /** A new backend over the store that {@link #store(String, String)} writes to. */
  protected abstract SecretBackend createBackend() throws Exception;

  /**
   * Writes {@code value} as the new current version of {@code key} in the store behind the backend,
   * so that a backend created before or after sees it.
   */
  protected abstract void store(String key, String value) throws Exception;

  /**
   * A version id that does not exist for any key in this store. Numeric by default, which suits
   * stores with numbered versions; override for stores with other id formats.
   */
  protected String absentVersionId() {
    return "987654";
  }

  /** A fresh key name for one test, valid for every backend ({@code CONTRACT_KEY_<n>_<random>}). */
  protected String newKey() {
    return "CONTRACT_KEY_" + KEY_COUNTER.incrementAndGet() + "_"
        + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
  }

  /** A recognisable value that must never appear in messages. */
  protected String canaryValue() {
    return "canary-" + UUID.randomUUID();
  }

  @BeforeEach
  void createBackendUnderTest() throws Exception {
    backend = createBackend();
  }

  @AfterEach
  void closeBackendUnderTest() {
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void unknownKeyIsEmptyNotAnException() {
    assertThat(backend.fetch(newKey(), VersionSelector.latest())).isEmpty();
  }

  @Test
  void storedValueComesBackWithItsKeyAndBackendId() throws Exception {
    String key = newKey();
    String value = canaryValue();
    store(key, value);
    Secret secret = backend.fetch(key, VersionSelector.latest()).orElseThrow();
    assertThat(secret.reveal()).isEqualTo(value);
    assertThat(secret.key()).isEqualTo(key);
    assertThat(secret.backend()).isEqualTo(backend.id());
    assertThat(secret.version().id()).isNotBlank();
  }

  @Test
  void fetchAllReturnsStoredKeysAndLeavesOutAbsentOnes() throws Exception {
    String first = newKey();
    String second = newKey();
    String absent = newKey();
    store(first, "value-one");
    store(second, "value-two");
    Map<String, Secret> found = backend.fetchAll(List.of(first, second, absent));
    // siblings (other keys the same read carried) may come too, as SecretBackend#fetchAll allows
    assertThat(found).containsKeys(first, second).doesNotContainKey(absent);
    assertThat(found.get(first)).extracting(Secret::reveal).isEqualTo("value-one");
    assertThat(found.get(second)).extracting(Secret::reveal).isEqualTo("value-two");
  }

  @Test
  void versionsAreNewestFirstAndFetchableByIdWhenDeclared() throws Exception {
    String key = newKey();
    if (!backend.capabilities().contains(Capability.VERSIONS)) {
      store(key, "only");
      assertThatThrownBy(() -> backend.versions(key)).isInstanceOf(UnsupportedCapabilityException.class);
      return;
    }
    store(key, "first-value");
    store(key, "second-value");
    List<SecretVersion> versions = backend.versions(key);
    assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
    SecretVersion newest = versions.get(0);
    assertThat(newest.current()).as("the newest version is current").isTrue();
    assertThat(versions.subList(1, versions.size())).noneMatch(SecretVersion::current);
    assertThat(backend.fetch(key, VersionSelector.id(newest.id())).orElseThrow().reveal())
        .isEqualTo("second-value");
    assertThat(backend.fetch(key, VersionSelector.id(versions.get(1).id())).orElseThrow().reveal())
        .isEqualTo("first-value");
    assertThat(backend.fetch(key, VersionSelector.previous()).orElseThrow().reveal())
        .isEqualTo("first-value");
    assertThat(backend.fetch(key, VersionSelector.latest()).orElseThrow().version().id())
        .isEqualTo(newest.id());
  }

  @Test
  void absentVersionOrKeyHasNoVersions() throws Exception {
    if (!backend.capabilities().contains(Capability.VERSIONS)) {
      return;
    }
    String key = newKey();
    assertThat(backend.versions(key)).isEmpty();
    store(key, "value");
    assertThat(backend.fetch(key, VersionSelector.id(absentVersionId()))).isEmpty();
  }

  @Test
  void listingIncludesStoredKeysWhenDeclared() throws Exception {
    String key = newKey();
    store(key, "listed");
    if (backend.capabilities().contains(Capability.LISTING)) {
      assertThat(backend.keys()).contains(key);
    } else {
      assertThatThrownBy(() -> backend.keys()).isInstanceOf(UnsupportedCapabilityException.class);
    }
  }

  @Test
  void rollbackMakesAnOlderVersionCurrentWhenDeclared() throws Exception {
    String key = newKey();
    store(key, "good-value");
    store(key, "bad-value");
    if (!backend.capabilities().contains(Capability.ROLLBACK)) {
      SecretVersion any = SecretVersion.of("1");
      assertThatThrownBy(() -> backend.rollback(key, any))
          .isInstanceOf(UnsupportedCapabilityException.class);
      return;
    }
    List<SecretVersion> versions = backend.versions(key);
    SecretVersion current = backend.rollback(key, versions.get(1));
    assertThat(current.current()).isTrue();
    assertThat(backend.fetch(key, VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("good-value");
  }

  @Test
  void writeMakesANewCurrentVersionAndRefusesAStaleExpectedOneWhenDeclared() throws Exception {
    String key = newKey();
    store(key, "first-value");
    if (!backend.capabilities().contains(Capability.WRITE)) {
      assertThatThrownBy(() -> backend.write(key, SecretValue.of("written"), WriteOptions.defaults()))
          .isInstanceOf(UnsupportedCapabilityException.class)
          .hasMessageNotContaining("written");
      return;
    }
    String before = backend.fetch(key, VersionSelector.latest()).orElseThrow().version().id();
    SecretVersion written = backend.write(key, SecretValue.of("written-value"), WriteOptions.defaults());
    Secret now = backend.fetch(key, VersionSelector.latest()).orElseThrow();
    assertThat(now.reveal()).isEqualTo("written-value");
    assertThat(now.version().id()).isEqualTo(written.id()).isNotEqualTo(before);
    assertThatThrownBy(() -> backend.write(key, SecretValue.of("stale-writer-value"),
        WriteOptions.builder().expectedVersion(before).build()))
        .isInstanceOf(WriteConflictException.class)
        .hasMessageContaining(key)
        .hasMessageNotContaining("stale-writer-value").hasMessageNotContaining("written-value");
    assertThat(backend.fetch(key, VersionSelector.latest()).orElseThrow().reveal()).isEqualTo("written-value");
  }

  @Test
  void watchThrowsWhenNotDeclared() {
    if (!backend.capabilities().contains(Capability.WATCH)) {
      assertThatThrownBy(() -> backend.watch(keys -> { }))
          .isInstanceOf(UnsupportedCapabilityException.class);
    }
  }

  @Test
  void concurrentFetchesAreSafe() throws Exception {
    String key = newKey();
    String value = canaryValue();
    store(key, value);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Optional<Secret>>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(() -> backend.fetch(key, VersionSelector.latest()));
      }
      for (Future<Optional<Secret>> result : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
        assertThat(result.get().orElseThrow().reveal()).isEqualTo(value);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeIsIdempotent() throws Exception {
    SecretBackend other = createBackend();
    other.close();
    other.close();
  }

  @Test
  void healthNeverThrowsAndNamesTheBackend() {
    BackendHealth health = backend.health();
    assertThat(health.backendId()).isEqualTo(backend.id());
  }

  @Test
  void noMessageOrToStringContainsTheValue() throws Exception {
    String key = newKey();
    String value = canaryValue();
    store(key, value);
    store(key, value + "-next");
    Secret secret = backend.fetch(key, VersionSelector.latest()).orElseThrow();
    List<String> texts = new ArrayList<>(List.of(String.valueOf(secret), String.valueOf(secret.value()),
        String.valueOf(secret.version()), String.valueOf(backend), backend.describe(),
        String.valueOf(backend.health())));
    if (backend.capabilities().contains(Capability.VERSIONS)) {
      backend.versions(key).forEach(v -> texts.add(String.valueOf(v)));
    }
    try {
      backend.fetch(key, VersionSelector.id("not a version id"));
    } catch (RuntimeException e) {
      texts.add(String.valueOf(e));
    }
    for (String text : texts) {
      assertThat(text).doesNotContain(value);
    }
  }

  /** The set of capabilities, for subclasses asserting their declared capabilities. */
  protected Set<Capability> capabilities() {
    return backend.capabilities();
  }
}
