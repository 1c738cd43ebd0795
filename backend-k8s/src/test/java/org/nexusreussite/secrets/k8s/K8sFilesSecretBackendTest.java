package org.nexusreussite.secrets.k8s;

import org.nexusreussite.secrets.testkit.TestBackendContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Activation;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/** Layouts, name mapping, trimming, traversal and activation of the mounted-file backend (real folders). */
class K8sFilesSecretBackendTest {

  @TempDir
  Path temp;

  private SecretBackend backend(Path... folders) {
    return backend(Map.of(), folders);
  }

  private SecretBackend backend(Map<String, String> extra, Path... folders) {
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put(K8sFilesBackendProvider.MOUNT, String.join(",",
        java.util.Arrays.stream(folders).map(Path::toString).toList()));
    return new K8sFilesBackendProvider().create(TestBackendContext.of(K8sFilesSecretBackend.ID, settings));
  }

  private String reveal(SecretBackend backend, String key) {
    return backend.fetch(key, VersionSelector.latest()).orElseThrow().reveal();
  }

  @Test
  void versionIsTheTimestampedFolderInTheKubeletLayout() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v")).put("api-key", "abc");
    Secret secret = backend(volume.dir()).fetch("api-key", VersionSelector.latest()).orElseThrow();
    assertThat(secret.version().id()).isEqualTo(volume.generation());
    assertThat(secret.version().createdAt()).isPresent();
  }

  @Test
  void versionOfAnUnchangedKeyStaysWhenAnotherKeyRotates() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v")).putAll(Map.of("a", "1", "b", "2"));
    SecretBackend backend = backend(volume.dir());
    String first = volume.generation();
    assertThat(backend.fetch("a", VersionSelector.latest()).orElseThrow().version().id()).isEqualTo(first);
    volume.put("b", "3");
    assertThat(backend.fetch("a", VersionSelector.latest()).orElseThrow().version().id()).isEqualTo(first);
    assertThat(backend.fetch("b", VersionSelector.latest()).orElseThrow().version().id())
        .isEqualTo(volume.generation());
  }

  @Test
  void plainFilesAreVersionedByContentHash() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("plain"));
    Files.writeString(dir.resolve("TOKEN"), "t0ken");
    Secret secret = backend(dir).fetch("TOKEN", VersionSelector.latest()).orElseThrow();
    assertThat(secret.version().id()).startsWith("content:");
  }

  @Test
  void environmentStyleKeysFindDashedAndUnderscoredFiles() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v"))
        .putAll(Map.of("database-url", "postgres://db", "jwt_secret", "j", "SMTP_HOST", "mail"));
    SecretBackend backend = backend(volume.dir());
    assertThat(reveal(backend, "DATABASE_URL")).isEqualTo("postgres://db");
    assertThat(reveal(backend, "JWT_SECRET")).isEqualTo("j");
    assertThat(reveal(backend, "smtp-host")).isEqualTo("mail");
    assertThat(reveal(backend, "database-url")).isEqualTo("postgres://db");
  }

  @Test
  void twoFilesMappingToOneKeyAreAnErrorNamingBoth() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v"))
        .putAll(Map.of("database-url", "canary-dash-value", "database_url", "canary-under-value"));
    SecretBackend backend = backend(volume.dir());
    assertThatThrownBy(() -> backend.fetch("DATABASE_URL", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("database-url").hasMessageContaining("database_url")
        .hasMessageNotContaining("canary-");
  }

  @Test
  void anExactFileNameWinsOverTheMapping() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v"))
        .putAll(Map.of("database-url", "dashed", "database_url", "underscored"));
    assertThat(reveal(backend(volume.dir()), "database_url")).isEqualTo("underscored");
  }

  @Test
  void oneTrailingNewlineIsTrimmedByDefault() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v"))
        .putAll(Map.of("a", "value\n", "b", "value\n\n", "c", "value\r\n"));
    SecretBackend backend = backend(volume.dir());
    assertThat(reveal(backend, "a")).isEqualTo("value");
    assertThat(reveal(backend, "b")).isEqualTo("value\n");
    assertThat(reveal(backend, "c")).isEqualTo("value");
  }

  @Test
  void theTrailingNewlineIsKeptWhenTrimmingIsOff() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v")).put("a", "value\n");
    SecretBackend backend = backend(Map.of(K8sFilesBackendProvider.TRIM_NEWLINE, "false"), volume.dir());
    assertThat(reveal(backend, "a")).isEqualTo("value\n");
  }

  @Test
  void valuesAreUtf8() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("plain"));
    Files.write(dir.resolve("GREETING"), "héllo wörld ✓".getBytes(StandardCharsets.UTF_8));
    assertThat(reveal(backend(dir), "GREETING")).isEqualTo("héllo wörld ✓");
  }

  @Test
  void hiddenEntriesAndTheKubeletFoldersAreNotKeys() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v")).putAll(Map.of("a", "1", "b", "2"));
    Files.writeString(volume.dir().resolve(".hidden"), "x");
    SecretBackend backend = backend(volume.dir());
    assertThat(backend.keys()).containsExactly("a", "b");
    assertThat(backend.capabilities()).contains(Capability.LISTING, Capability.WATCH);
  }

  @Test
  void pathTraversalKeysAreRefused() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v")).put("a", "1");
    Files.writeString(temp.resolve("outside"), "not yours");
    SecretBackend backend = backend(volume.dir());
    for (String key : List.of("../outside", "/etc/passwd", "..", "..data", "a/../../outside")) {
      assertThatThrownBy(() -> backend.fetch(key, VersionSelector.latest()))
          .as(key).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the mounted folder");
    }
  }

  @Test
  void aSymlinkLeavingTheMountIsRefused() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("plain"));
    Path outside = Files.writeString(temp.resolve("outside"), "not yours");
    Files.createSymbolicLink(dir.resolve("LEAK"), outside);
    Files.writeString(dir.resolve("OK"), "fine");
    SecretBackend backend = backend(dir);
    assertThatThrownBy(() -> backend.fetch("LEAK", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("outside the mounted folder")
        .hasMessageNotContaining("not yours");
    assertThat(backend.keys()).containsExactly("OK");
  }

  @Test
  void aDataLinkLeavingTheMountIsRefused() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("evil"));
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("a"), "x");
    Files.createSymbolicLink(dir.resolve("..data"), elsewhere);
    SecretBackend backend = backend(dir);
    assertThatThrownBy(() -> backend.fetch("a", VersionSelector.latest()))
        .isInstanceOf(BackendConfigurationException.class).hasMessageContaining("..data");
  }

  @Test
  void anUnreadableMountGivesAnErrorWithItsPath() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("plain"));
    Files.writeString(dir.resolve("KEY"), "x");
    SecretBackend backend = backend(dir);
    KubeletVolume.deleteTree(dir);
    Files.writeString(dir, "a file where the mounted folder was"); // unreadable as a folder, even for root
    assertThatThrownBy(() -> backend.fetch("KEY", VersionSelector.latest()))
        .isInstanceOf(BackendUnavailableException.class).hasMessageContaining(dir.toString())
        .hasMessageContaining("NotDirectoryException");
    assertThat(backend.health().status()).isEqualTo(org.nexusreussite.secrets.BackendHealth.Status.DOWN);
  }

  @Test
  void earlierFoldersWin() throws Exception {
    Path first = Files.createDirectories(temp.resolve("first"));
    Path second = Files.createDirectories(temp.resolve("second"));
    Files.writeString(first.resolve("K"), "from-first");
    Files.writeString(second.resolve("K"), "from-second");
    Files.writeString(second.resolve("ONLY"), "only-second");
    SecretBackend backend = backend(first, second);
    assertThat(reveal(backend, "K")).isEqualTo("from-first");
    assertThat(backend.fetchAll(List.of("K", "ONLY", "NONE"))).containsOnlyKeys("K", "ONLY");
    assertThat(backend.describe()).isEqualTo("k8s-files[" + first + "," + second + "]");
  }

  @Test
  void olderVersionsAreUnsupportedWithAHint() throws Exception {
    KubeletVolume volume = new KubeletVolume(temp.resolve("v")).put("a", "1");
    SecretBackend backend = backend(volume.dir());
    assertThatThrownBy(() -> backend.fetch("a", VersionSelector.previous()))
        .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("only the current value");
    assertThat(backend.fetch("a", VersionSelector.id(volume.generation()))).isPresent();
    assertThatThrownBy(() -> backend.versions("a")).isInstanceOf(UnsupportedCapabilityException.class);
  }

  @Test
  void activationDependsOnTheSettingOrTheDefaultFolder() throws Exception {
    Path missing = temp.resolve("nope");
    Activation off = new K8sFilesBackendProvider(missing).activation(TestBackendContext.of("k8s-files", Map.of()));
    assertThat(off.active()).isFalse();
    assertThat(off.reason()).contains("SECRETS_K8S_MOUNT is not set").contains(missing.toString());
    Path present = Files.createDirectories(temp.resolve("default"));
    assertThat(new K8sFilesBackendProvider(present).activation(TestBackendContext.of("k8s-files", Map.of())).active())
        .isTrue();
    assertThat(new K8sFilesBackendProvider(missing).activation(TestBackendContext.of("k8s-files",
        Map.of(K8sFilesBackendProvider.MOUNT, "/x,/y"))).reason()).isEqualTo("SECRETS_K8S_MOUNT=/x,/y");
  }

  @Test
  void aConfiguredFolderThatDoesNotExistFailsFast() {
    Path missing = temp.resolve("nope");
    assertThatThrownBy(() -> backend(missing)).isInstanceOf(BackendConfigurationException.class)
        .hasMessageContaining("SECRETS_K8S_MOUNT").hasMessageContaining(missing.toString());
  }
}
