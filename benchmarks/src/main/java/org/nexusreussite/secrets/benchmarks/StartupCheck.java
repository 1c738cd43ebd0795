package org.nexusreussite.secrets.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark 5, start-up: whole-process wall time of a JVM that resolves three keys from a {@code .env}
 * file through our SDK ({@link StartupSdkMain}) against one doing the same with plain dotenv-java
 * ({@link StartupDotenvJavaMain}). A plain harness, not JMH: what is timed is {@code ProcessBuilder.start()}
 * to {@code waitFor()}, JVM boot and exit included, which a JMH fork cannot isolate.
 *
 * <p>Usage: {@code StartupCheck <class path of ours> <class path of dotenv-java> [runs] [warm-ups] [keys]}
 * ({@code keys}: 3 by default; more adds {@code EXTRA_KEY_4...} to the file, and both mains read them all). Each
 * side gets only its own jars (plus the directory holding the two mains), as an application would. Both
 * run in a fresh directory holding a {@code .env} with mode 600, with the {@code SECRETS_*} variables
 * removed from the environment, on the same JVM as the harness with no options (or those of the system
 * properties {@code startup.ours.opts} / {@code startup.baseline.opts}, e.g. an AppCDS archive for each
 * side). The runs alternate, and
 * which side goes first swaps every pair, so a slow phase of the machine hits both. Then one untimed run
 * of each with {@code -Xlog:class+load} counts the classes each loads, and where from.
 * Exits with status 1 when ours is over 1.2x the baseline's median.
 */
public final class StartupCheck {
  private static final double TARGET = 1.2;

  private StartupCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: StartupCheck <class path of ours> <class path of dotenv-java> [runs] [warm-ups]");
      System.exit(2);
    }
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    int keys = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    Path dir = Files.createTempDirectory("startup-bench");
    Path env = dir.resolve(".env");
    String secretKey = "9f4c2d7e1b8a6035c4e2f1d0a9b8c7d6";
    String jwtKey = "jwt-3c1e5b7d9f2a4c6e8b0d1f3a5c7e9b2d";
    String databaseUrl = "postgres://app:s3cr3t-pw@db.internal:5432/app?sslmode=require";
    StringBuilder file = new StringBuilder("# three keys, as a small web application has\n"
        + "SECRET_KEY=" + secretKey + "\n"
        + "JWT_SECRET_KEY=\"" + jwtKey + "\"\n"
        + "DATABASE_URL=" + databaseUrl + "\n");
    List<String> names = new ArrayList<>(List.of("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL"));
    int chars = secretKey.length() + jwtKey.length() + databaseUrl.length();
    for (int i = 4; i <= keys; i++) {
      String value = "value-" + i + "-0123456789abcdef0123456789";
      file.append("EXTRA_KEY_").append(i).append('=').append(value).append('\n');
      names.add("EXTRA_KEY_" + i);
      chars += value.length();
    }
    Files.writeString(env, file.toString(), StandardCharsets.UTF_8);
    String expected = "resolved " + keys + " keys, " + chars + " chars" + System.lineSeparator();
    // a real .env holds secrets and is private; a looser mode would make our backend log a warning
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    List<String> keyArgs = keys == 3 ? List.of() : names;
    Side ours = new Side("ours (Secrets.resolve, secrets-api + backend-dotenv)", args[0],
        StartupSdkMain.class.getName(), keyArgs, System.getProperty("startup.ours.opts", ""));
    Side baseline = new Side("dotenv-java 3.2.0 (Dotenv.load().get)", args[1],
        StartupDotenvJavaMain.class.getName(), keyArgs, System.getProperty("startup.baseline.opts", ""));
    try {
      for (int i = 0; i < warmups; i++) {
        ours.run(dir, expected, false);
        baseline.run(dir, expected, false);
      }
      for (int i = 0; i < runs; i++) {
        Side first = i % 2 == 0 ? ours : baseline;
        Side second = first == ours ? baseline : ours;
        first.run(dir, expected, true);
        second.run(dir, expected, true);
      }
      System.out.printf("start-up, %d keys, %d runs each after %d warm-ups, %s%n", keys, runs, warmups,
          Runtime.version());
      ours.print();
      baseline.print();
      double ratio = ours.median() / baseline.median();
      double ratio90 = ours.percentile(0.9) / baseline.percentile(0.9);
      boolean met = ratio <= TARGET;
      System.out.printf("ratio of medians %.2fx (p90 %.2fx) -> %s%n", ratio, ratio90,
          met ? "met (<= " + TARGET + "x)" : "MISSED (target <= " + TARGET + "x)");
      ours.printClassLoading(dir);
      baseline.printClassLoading(dir);
      System.out.println(met ? "ALL TARGETS MET" : "TARGET MISSED");
      System.exit(met ? 0 : 1);
    } finally {
      Files.deleteIfExists(env);
      Files.deleteIfExists(dir);
    }
  }

  private static final class Side {
    final String name;
    final String classPath;
    final String mainClass;
    final List<String> keys;
    /** JVM options given to every launch of this side (e.g. an AppCDS archive: -XX:SharedArchiveFile=...). */
    final List<String> jvmOptions;
    final List<Double> millis = new ArrayList<>();

    Side(String name, String classPath, String mainClass, List<String> keys, String jvmOptions) {
      this.keys = keys;
      this.jvmOptions = jvmOptions.isBlank() ? List.of() : List.of(jvmOptions.trim().split("\\s+"));
      this.name = name;
      // the child runs in another directory: make relative entries absolute
      List<String> entries = new ArrayList<>();
      for (String entry : classPath.split(java.io.File.pathSeparator)) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
      this.classPath = String.join(java.io.File.pathSeparator, entries);
      this.mainClass = mainClass;
    }

    List<String> command(String... jvmOptions) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(this.jvmOptions);
      Collections.addAll(command, jvmOptions);
      Collections.addAll(command, "-cp", classPath, mainClass);
      command.addAll(keys);
      return command;
    }

    String launch(Path dir, List<String> command) throws IOException, InterruptedException {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(k -> k.startsWith("SECRETS_") || k.equals("APP_ENV"));
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(name + " failed: " + output);
      }
      return output;
    }

    void run(Path dir, String expected, boolean timed) throws IOException, InterruptedException {
      long start = System.nanoTime();
      String output = launch(dir, command());
      long elapsed = System.nanoTime() - start;
      if (!output.equals(expected)) {
        throw new IllegalStateException(name + " printed something else: " + output.length() + " chars");
      }
      if (timed) {
        millis.add(elapsed / 1e6);
      }
    }

    double percentile(double p) {
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      // nearest rank
      int rank = (int) Math.ceil(p * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }

    double median() {
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    void print() {
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      System.out.printf("  %-55s median %6.1f ms  p90 %6.1f ms  min %6.1f ms  max %6.1f ms%n", name, median(),
          percentile(0.9), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    void printClassLoading(Path dir) throws IOException, InterruptedException {
      String log = launch(dir, command("-Xlog:class+load=info:stdout:tags"));
      long total = 0;
      long shared = 0;
      for (String line : log.split("\\R")) {
        if (line.startsWith("[class,load]")) {
          total++;
          if (line.contains("source: shared objects file")) {
            shared++;
          }
        }
      }
      System.out.printf("  %-55s %d classes loaded (%d from the JDK's CDS archive, %d parsed from jrt or jars)%n",
          name, total, shared, total - shared);
    }
  }
}
