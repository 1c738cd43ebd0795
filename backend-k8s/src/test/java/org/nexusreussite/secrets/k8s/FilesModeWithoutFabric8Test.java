package org.nexusreussite.secrets.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mounted-file mode works when an application excludes fabric8 ({@code io.fabric8:kubernetes-client-api}): the
 * API provider must load (ServiceLoader inspects its constructors) without touching fabric8.
 */
class FilesModeWithoutFabric8Test {
  @TempDir
  Path temp;

  @Test
  void theFileModeWorksWithoutFabric8OnTheClassPath() throws Exception {
    Files.writeString(temp.resolve("probe-key"), "from-a-file\n");
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains(File.separator + "fabric8" + File.separator)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader())) {
      assertThat(isolated.getResource("io/fabric8/kubernetes/client/KubernetesClient.class")).isNull();
      Class<?> probe = isolated.loadClass(FilesOnlyProbe.class.getName());
      @SuppressWarnings("unchecked")
      Callable<String> call = (Callable<String>) probe.getConstructor(String.class).newInstance(temp.toString());
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(isolated); // discovery looks providers up through the context loader
      try {
        assertThat(call.call()).isEqualTo("from-a-file");
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
  }
}
