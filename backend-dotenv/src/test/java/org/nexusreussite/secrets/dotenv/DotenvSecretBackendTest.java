package org.nexusreussite.secrets.dotenv;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendHealth;
import org.nexusreussite.secrets.InvalidSecretSourceException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.Capability;

/** The provider and backend over real files in a temporary folder, with a hermetic context. */
class DotenvSecretBackendTest {

  private static final String CANARY = "canary-51d0b7e2-never-logged";

  @TempDir
  Path dir;

  private final DotenvBackendProvider provider = new DotenvBackendProvider();

  private TestBackendContext context(String... settings) {
    Map<String, String> map = new HashMap<>();
    map.put("SECRETS_DOTENV_DIR", dir.toString());
    for (int i = 0; i < settings.length; i += 2) {
      map.put(settings[i], settings[i + 1]);
    }
    return TestBackendContext.of(DotenvBackendProvider.ID, map);
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** Rewrites a file in place and moves its modification time on, as an editor saving twice a second would. */
  private void edit(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    FileTime before = Files.getLastModifiedTime(file);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
  }

  private DotenvSecretBackend create(TestBackendContext context) {
    return (DotenvSecretBackend) provider.create(context);
  }

  private static String fetch(DotenvSecretBackend backend, String key) {
    return backend.fetch(key, VersionSelector.latest()).map(Secret::reveal).orElse(null);
  }

  // ---------------------------------------------------------------- provider

  @Test
  void providerIdAndOrdinal() {
    assertThat(provider.id()).isEqualTo("dotenv");
    assertThat(provider.defaultOrdinal()).isEqualTo(100);
  }

  @Test
  void filesInDevelopmentAreEnvProfileLocalAndProfileLocal() {
    assertThat(DotenvBackendProvider.fileNames("development"))
        .containsExactly(".env", ".env.development", ".env.local", ".env.development.local");
  }

  @Test
  void envLocalIsNotReadInTheTestingProfile() { // dotenv-rails / Next.js convention: tests are reproducible
    assertThat(DotenvBackendProvider.fileNames("testing")).containsExactly(".env", ".env.testing", ".env.testing.local");
    assertThat(DotenvBackendProvider.fileNames("test")).containsExactly(".env", ".env.test", ".env.test.local");
  }

  @Test
  void inactiveWithoutFilesNamingTheFolderAndTheFiles() {
    Activation a = provider.activation(context());
    assertThat(a.active()).isFalse();
    assertThat(a.reason()).isEqualTo("no .env file in " + dir.toAbsolutePath().normalize()
        + " (looked for .env, .env.development, .env.local, .env.development.local)");
  }

  @Test
  void activeWhenAnyOfTheFilesExists() throws IOException {
    write(".env.development.local", "A=1");
    Activation a = provider.activation(context());
    assertThat(a.active()).isTrue();
    assertThat(a.reason()).isEqualTo(".env.development.local in " + dir.toAbsolutePath().normalize());
  }

  @Test
  void inactiveWhenTheFolderDoesNotExist() {
    Activation a = provider.activation(context("SECRETS_DOTENV_DIR", dir.resolve("missing").toString()));
    assertThat(a.active()).isFalse();
    assertThat(a.reason()).contains("missing is not a directory (SECRETS_DOTENV_DIR)");
  }

  @Test
  void aProfileNameThatCannotNameAFileMakesItInactiveNotBroken() throws IOException {
    write(".env", "A=1");
    Activation a = provider.activation(context("SECRETS_PROFILE", "eu/west"));
    assertThat(a.active()).isFalse();
    assertThat(a.reason()).contains("Invalid setting SECRETS_PROFILE");
  }

  @Test
  void offInAStrictProfile() throws IOException {
    write(".env", "A=1");
    Activation a = provider.activation(context("SECRETS_PROFILE", "production"));
    assertThat(a.active()).isFalse();
    assertThat(a.reason()).isEqualTo(".env files are not read in strict profile 'production' "
        + "(set SECRETS_DOTENV_IN_PRODUCTION=true to read them anyway)");
  }

  @Test
  void onInAStrictProfileWithTheFlagAndAWarning() throws IOException {
    write(".env", "A=1");
    write(".env.production", "B=2");
    TestBackendContext context = context("SECRETS_PROFILE", "production", "SECRETS_DOTENV_IN_PRODUCTION", "true");
    assertThat(provider.activation(context).active()).isTrue();
    DotenvSecretBackend backend = create(context);
    assertThat(fetch(backend, "B")).isEqualTo("2");
    assertThat(context.warnings()).containsExactly("WARNING Reading .env files in strict profile 'production' "
        + "because SECRETS_DOTENV_IN_PRODUCTION=true: a developer's file can now serve production secrets");
  }

  @Test
  void noStrictWarningInDevelopment() throws IOException {
    write(".env", "A=1");
    TestBackendContext context = context();
    create(context);
    assertThat(context.warnings()).isEmpty();
  }

  // ---------------------------------------------------------------- files and order

  @Test
  void laterFilesWinInOrder() throws IOException {
    write(".env", "A=env\nB=env\nC=env\nD=env");
    write(".env.development", "B=profile\nC=profile\nD=profile");
    write(".env.local", "C=local\nD=local");
    write(".env.development.local", "D=profile-local");
    DotenvSecretBackend backend = create(context());
    assertThat(fetch(backend, "A")).isEqualTo("env");
    assertThat(fetch(backend, "B")).isEqualTo("profile");
    assertThat(fetch(backend, "C")).isEqualTo("local");
    assertThat(fetch(backend, "D")).isEqualTo("profile-local");
  }

  @Test
  void otherProfilesFilesAreNotRead() throws IOException {
    write(".env", "A=env");
    write(".env.staging", "A=staging");
    assertThat(fetch(create(context()), "A")).isEqualTo("env");
  }

  @Test
  void testingProfileSkipsEnvLocalButReadsItsOwnLocalFile() throws IOException {
    write(".env", "A=env\nB=env");
    write(".env.local", "A=developer-machine\nB=developer-machine");
    write(".env.testing.local", "B=testing-local");
    DotenvSecretBackend backend = create(context("SECRETS_PROFILE", "testing"));
    assertThat(fetch(backend, "A")).isEqualTo("env");
    assertThat(fetch(backend, "B")).isEqualTo("testing-local");
  }

  @Test
  void referencesSpanFilesInOrder() throws IOException {
    write(".env", "DB_HOST=localhost\nDB_USER=app");
    write(".env.local", "DB_HOST=db.internal\nDATABASE_URL=postgres://${DB_USER}@${DB_HOST}/app");
    assertThat(fetch(create(context()), "DATABASE_URL")).isEqualTo("postgres://app@db.internal/app");
  }

  @Test
  void referencesSeeTheConfiguredEnvironment() throws IOException {
    write(".env", "URL=https://${API_HOST:-localhost}/v1");
    TestBackendContext withEnvironment = TestBackendContext.of(DotenvBackendProvider.ID, org.nexusreussite.secrets
        .SecretsConfig.of(Map.of("SECRETS_DOTENV_DIR", dir.toString()), Map.of("API_HOST", "api.example.com")));
    assertThat(fetch(create(withEnvironment), "URL")).isEqualTo("https://api.example.com/v1");
    assertThat(fetch(create(context()), "URL")).isEqualTo("https://localhost/v1");
  }

  @Test
  void describeListsFilesFoundAndThoseLookedFor() throws IOException {
    write(".env", "A=1");
    write(".env.local", "B=2");
    assertThat(create(context()).describe()).isEqualTo("dotenv[" + dir.toAbsolutePath().normalize()
        + ": .env, .env.local; not found: .env.development, .env.development.local]");
  }

  @Test
  void worksWithoutAnyFileAndPicksOneUpWhenItAppears() throws IOException {
    DotenvSecretBackend backend = create(context());
    assertThat(backend.describe()).contains(": no file found; not found: .env, ");
    assertThat(fetch(backend, "A")).isNull();
    write(".env", "A=1");
    assertThat(fetch(backend, "A")).isEqualTo("1");
  }

  @Test
  void errorsNameTheFullPathWhenAFolderIsConfigured() throws IOException {
    write(".env", "A=1\nB='" + CANARY);
    assertThatThrownBy(() -> create(context()))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessage(dir.resolve(".env") + ":2: unterminated single quote (opened on this line, never closed)");
  }

  @Test
  void lenientSettingSkipsBadLinesWithAWarningNamingFileAndLine() throws IOException {
    write(".env", "A=1\nB='" + CANARY + "\nC=3");
    TestBackendContext context = context("SECRETS_DOTENV_LENIENT", "true");
    DotenvSecretBackend backend = create(context);
    assertThat(backend.keys()).containsExactly("A", "C");
    assertThat(context.warnings()).containsExactly("WARNING Skipped " + dir.resolve(".env")
        + ":2: unterminated single quote (opened on this line, never closed) (SECRETS_DOTENV_LENIENT=true)");
    assertThat(context.logLines()).noneMatch(l -> l.contains(CANARY));
  }

  @Test
  void invalidUtf8IsReportedWithItsLine() throws IOException {
    Path file = dir.resolve(".env");
    Files.write(file, new byte[] {'A', '=', '1', '\n', 'B', '=', (byte) 0xC3, (byte) 0x28, '\n'});
    assertThatThrownBy(() -> create(context()))
        .isInstanceOf(InvalidSecretSourceException.class)
        .hasMessage(file + ":2: not valid UTF-8; save the file as UTF-8");
  }

  // ---------------------------------------------------------------- permissions

  @Test
  void aFileReadableByGroupOrOthersLogsAWarningNamingIt() throws IOException {
    Path file = write(".env", "PASSWORD=" + CANARY);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    TestBackendContext context = context();
    create(context);
    assertThat(context.warnings()).containsExactly("WARNING " + file + " holds secrets but is readable by group "
        + "or others (rw-r--r--); restrict it with: chmod 600 " + file);
    assertThat(context.logLines()).noneMatch(l -> l.contains(CANARY));
  }

  @Test
  void groupReadableAloneWarnsToo() throws IOException {
    Path file = write(".env.local", "A=1");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    TestBackendContext context = context();
    create(context);
    assertThat(context.warnings()).singleElement().asString().contains(file.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw--w--w-", "rw-----w-", "rw--w----", "rw-rw----", "rw----rw-"})
  void aFileWritableByGroupOrOthersLogsAWarningNamingIt(String mode) throws IOException {
    // 622, 602, 620 and friends: another user could inject values (finding 9 of issue 12)
    Path file = write(".env", "PASSWORD=" + CANARY);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    TestBackendContext context = context();
    create(context);
    assertThat(context.warnings()).singleElement().asString()
        .contains(file + " holds secrets but is ", "writable by group or others (" + mode + ")",
            "chmod 600 " + file)
        .doesNotContain(CANARY);
  }

  @Test
  void aFileOnlyWritableByOthersSaysWritableNotReadable() throws IOException {
    Path file = write(".env", "A=1");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-----w-"));
    TestBackendContext context = context();
    create(context);
    assertThat(context.warnings()).containsExactly("WARNING " + file + " holds secrets but is writable by group "
        + "or others (rw-----w-); restrict it with: chmod 600 " + file);
  }

  @Test
  void anOwnerOnlyFileLogsNothing() throws IOException {
    write(".env", "A=1");
    TestBackendContext context = context();
    create(context);
    assertThat(context.logLines()).isEmpty();
  }

  @Test
  void thePermissionWarningIsLoggedOnceAcrossReloads() throws IOException {
    Path file = write(".env", "A=1");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
    TestBackendContext context = context();
    DotenvSecretBackend backend = create(context);
    edit(".env", "A=2");
    assertThat(fetch(backend, "A")).isEqualTo("2");
    assertThat(context.warnings()).hasSize(1);
  }

  // ---------------------------------------------------------------- reload

  @Test
  void aChangedFileIsReReadOnFetch() throws IOException {
    write(".env", "A=first");
    DotenvSecretBackend backend = create(context());
    assertThat(fetch(backend, "A")).isEqualTo("first");
    edit(".env", "A=second");
    assertThat(fetch(backend, "A")).isEqualTo("second");
  }

  @Test
  void anIdenticalRewriteIsReReadAndKeepsTheVersion() throws IOException {
    write(".env", "A=same");
    DotenvSecretBackend backend = create(context());
    SecretVersion before = backend.fetch("A", VersionSelector.latest()).orElseThrow().version();
    long loads = backend.loads();
    edit(".env", "A=same");
    assertThat(backend.fetch("A", VersionSelector.latest()).orElseThrow().version()).isEqualTo(before);
    assertThat(backend.loads()).isEqualTo(loads + 1);
  }

  @Test
  void aFileReplacedAtomicallyIsNoticedEvenWithTheSameSizeAndTime() throws IOException {
    Path file = write(".env", "A=one");
    DotenvSecretBackend backend = create(context());
    FileTime time = Files.getLastModifiedTime(file);
    Path replacement = write(".env.tmp", "A=two");
    Files.setLastModifiedTime(replacement, time);
    Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertThat(fetch(backend, "A")).isEqualTo("two");
  }

  @Test
  void anUnchangedFileIsNotReRead() throws IOException {
    write(".env", "A=first");
    DotenvSecretBackend backend = create(context());
    long loads = backend.loads();
    fetch(backend, "A");
    backend.keys();
    backend.fetchAll(List.of("A", "B"));
    assertThat(backend.loads()).isEqualTo(loads);
  }

  @Test
  void aRemovedFileStopsServingItsKeys() throws IOException {
    write(".env", "A=env");
    write(".env.local", "A=local\nB=local");
    DotenvSecretBackend backend = create(context());
    Files.delete(dir.resolve(".env.local"));
    assertThat(fetch(backend, "A")).isEqualTo("env");
    assertThat(fetch(backend, "B")).isNull();
  }

  @Test
  void aMalformedEditFailsTheReadAndKeepsTheSnapshotForTheNextTry() throws IOException {
    write(".env", "A=good");
    DotenvSecretBackend backend = create(context());
    edit(".env", "A=\"" + CANARY);
    assertThatThrownBy(() -> fetch(backend, "A")).isInstanceOf(InvalidSecretSourceException.class)
        .message().doesNotContain(CANARY);
    BackendHealth health = backend.health();
    assertThat(health.status()).isEqualTo(BackendHealth.Status.DOWN);
    assertThat(health.toString()).contains(".env:1: unterminated double quote").doesNotContain(CANARY);
    edit(".env", "A=fixed");
    assertThat(fetch(backend, "A")).isEqualTo("fixed");
    assertThat(backend.health().status()).isEqualTo(BackendHealth.Status.UP);
  }

  // ---------------------------------------------------------------- capabilities

  @Test
  void listingOnly() throws IOException {
    write(".env", "B=2\nA=1");
    DotenvSecretBackend backend = create(context());
    assertThat(backend.capabilities()).containsExactly(Capability.LISTING);
    assertThat(backend.keys()).containsExactly("A", "B");
  }

  @Test
  void versionsAreUnsupportedAndSaySo() throws IOException {
    write(".env", "A=1");
    DotenvSecretBackend backend = create(context());
    assertThatThrownBy(() -> backend.versions("A"))
        .isInstanceOf(UnsupportedCapabilityException.class)
        .hasMessage("Backend 'dotenv' does not support versions (VERSIONS) (.env files keep only the current "
            + "value; use a store with history such as Vault KV v2)");
    assertThatThrownBy(() -> backend.fetch("A", VersionSelector.previous()))
        .isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void theVersionIsAFingerprintOfTheContentAndFetchableById() throws IOException {
    write(".env", "A=" + CANARY);
    DotenvSecretBackend backend = create(context());
    Secret secret = backend.fetch("A", VersionSelector.latest()).orElseThrow();
    assertThat(secret.version()).isEqualTo(SecretVersion.ofContent(SecretValue.of(CANARY)));
    assertThat(backend.fetch("A", VersionSelector.id(secret.version().id())).orElseThrow().reveal()).isEqualTo(CANARY);
  }

  @Test
  void toStringAndDescribeHoldNoValue() throws IOException {
    write(".env", "A=" + CANARY);
    DotenvSecretBackend backend = create(context());
    assertThat(backend.toString()).isEqualTo("DotenvSecretBackend[" + dir.toAbsolutePath().normalize() + ", 1 keys]");
    assertThat(backend.describe()).doesNotContain(CANARY);
    assertThat(backend.health().toString()).doesNotContain(CANARY);
  }

  @Test
  void fetchAllReadsOnceForManyKeys() throws IOException {
    write(".env", "A=1\nB=2");
    DotenvSecretBackend backend = create(context());
    assertThat(backend.fetchAll(List.of("A", "B", "C"))).extractingFromEntries(e -> e.getValue().reveal())
        .containsExactlyInAnyOrder("1", "2");
    assertThat(backend.fetchAll(List.of("A"))).as("the snapshot's other keys come along as siblings")
        .containsOnlyKeys("A", "B");
  }
}
