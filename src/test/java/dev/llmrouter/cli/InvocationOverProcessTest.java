package dev.llmrouter.cli;

import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmrouter.testkit.CliProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Advice names commands as the user ran the router: {@code java -jar <path>} from a jar, the bare
 * name from the runtime image's launcher on the PATH, the launcher's path otherwise.
 */
class InvocationOverProcessTest {

  private static final String JAVA =
      ProcessHandle.current()
          .info()
          .command()
          .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());

  @TempDir Path work;

  @Test
  void fromTheJarAdviceSaysJavaDashJarWithThePathAsTyped() throws Exception {
    jar(work.resolve("app/router.jar"));

    try (CliProcess check =
        CliProcess.startCommand(
            work,
            Map.of(),
            List.of(JAVA, "-XX:TieredStopAtLevel=1", "-jar", "app/router.jar", "check"))) {
      assertThat(check.awaitExit(STARTUP)).as(check.describe()).isEqualTo(1);
      assertThat(check.stderr())
          .contains("no config file at " + work.resolve("llm_router_config.json"))
          .contains("'java -jar app/router.jar init'");
    }
    try (CliProcess typo =
        CliProcess.startCommand(
            work,
            Map.of(),
            List.of(JAVA, "-XX:TieredStopAtLevel=1", "-jar", "app/router.jar", "chek"))) {
      assertThat(typo.awaitExit(STARTUP)).as(typo.describe()).isEqualTo(2);
      assertThat(typo.stderr()).contains("Run 'java -jar app/router.jar --help' for usage.");
    }
  }

  @Test
  void theLauncherByItsPathAndOnThePath() throws Exception {
    Path image = work.resolve("image");
    Path launcher = launcherImage(image);
    String modules = "--module-path=" + modulePath();

    try (CliProcess byPath =
        CliProcess.startCommand(
            work,
            Map.of("LLM_ROUTER_JAVA_OPTS", modules),
            List.of(launcher.toString(), "init", "--config", "a.json"))) {
      assertThat(byPath.awaitExit(STARTUP)).as(byPath.describe()).isZero();
      assertThat(byPath.stdout()).contains("  " + launcher + " check --config a.json");
    }
    String path =
        image.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    try (CliProcess onPath =
        CliProcess.startCommand(
            work,
            Map.of("PATH", path, "LLM_ROUTER_JAVA_OPTS", modules),
            List.of("sh", "-c", "llm-api-router init --config b.json"))) {
      assertThat(onPath.awaitExit(STARTUP)).as(onPath.describe()).isZero();
      assertThat(onPath.stdout())
          .contains("  llm-api-router check --config b.json")
          .contains("  llm-api-router serve --config b.json");
    }
  }

  @Test
  void theLaunchersExtraOptionsAreNeverExpandedAsFileNames() throws Exception {
    // '-Dhttp.nonProxyHosts=*.corp|localhost' in a folder holding a file that matches it.
    Path launcher = launcherImage(work.resolve("image"));
    Files.writeString(work.resolve("-Dllmrouter.probe=x.corp"), "");
    String options =
        "--module-path=" + modulePath() + " -XshowSettings:properties -Dllmrouter.probe=*.corp";

    assertThat(versionStderr(launcher, options)).contains("llmrouter.probe = *.corp");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"-Xmx64m", "-Xmx48M", "-XX:MaxHeapSize=50331648", "-Xmx08m -Xmx064m", "-Xmx2g"})
  void aUsersHeapCapBelowTheLaunchersInitialHeapStillStarts(String cap) throws Exception {
    // The image's own options start with -Xms72m -Xmn40m; -Xmx64m alone would stop the JVM. A
    // size with a leading zero is no octal number, and the last -Xmx wins; -Xmx2g changes nothing.
    Path launcher =
        launcherImage(
            work.resolve("image"), "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms72m -Xmn40m");
    String options = "--module-path=" + modulePath() + " " + cap;

    assertThat(versionStderr(launcher, options)).isEmpty();
  }

  /** What {@code --version} through the launcher prints on stderr; it must exit 0. */
  private String versionStderr(Path launcher, String options) {
    try (CliProcess version =
        CliProcess.startCommand(
            work,
            Map.of("LLM_ROUTER_JAVA_OPTS", options),
            List.of(launcher.toString(), "--version"))) {
      assertThat(version.awaitExit(STARTUP)).as(version.describe()).isZero();
      return version.stderr();
    }
  }

  @Test
  void theLaunchersPropertyNamesTheCommand() {
    try (CliProcess init =
        CliProcess.start(
            work,
            List.of("-D" + Invocation.LAUNCHER_PROPERTY + "=/opt/router/bin/llm-api-router"),
            Map.of(),
            "init",
            "--config",
            "c.json")) {
      assertThat(init.awaitExit(STARTUP)).as(init.describe()).isZero();
      assertThat(init.stdout()).contains("  /opt/router/bin/llm-api-router check --config c.json");
    }
  }

  @Test
  void makeDemoPassesThePortThrough() throws Exception {
    assumeTrue(Files.exists(Path.of("Makefile")), "not run from the project folder");
    assumeTrue(Unprivileged.succeeds(List.of("make", "--version")), "make is not installed");

    assertThat(dryRun("make", "-n", "demo", "PORT=8011")).contains(" demo --port 8011 ");
    assertThat(dryRun("make", "-n", "demo"))
        .containsPattern(" demo +\\|\\|")
        .doesNotContain("--port");
  }

  /**
   * A runtime image as {@code make image} lays it out, without jlink: the launcher script and
   * {@code bin/java} linked to this JVM. The image's modules are the test run's: the launcher is
   * given them with {@code --module-path} ({@link #modulePath()}).
   */
  private static Path launcherImage(Path image) throws IOException {
    return launcherImage(image, "-XX:TieredStopAtLevel=1");
  }

  private static Path launcherImage(Path image, String jvmOptions) throws IOException {
    Files.createDirectories(image.resolve("bin"));
    Files.createSymbolicLink(image.resolve("bin/java"), Path.of(JAVA));
    String script =
        Files.readString(Path.of("src/main/image/llm-api-router"))
            .replace("@JVM_OPTIONS@", jvmOptions);
    Path launcher = image.resolve("bin/llm-api-router");
    Files.writeString(launcher, script);
    launcher.toFile().setExecutable(true);
    return launcher;
  }

  /** Module dev.llmrouter (the main classes, compiled with module-info) and Jackson's modules. */
  private static String modulePath() {
    List<String> modules = new ArrayList<>();
    for (String entry :
        System.getProperty("java.class.path").split(java.io.File.pathSeparator, -1)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (Files.isRegularFile(p.resolve("module-info.class"))
          || p.getFileName().toString().startsWith("jackson-")) {
        modules.add(p.toString());
      }
    }
    return String.join(java.io.File.pathSeparator, modules);
  }

  /**
   * The router as a runnable jar: this test run's main classes, and a manifest whose Class-Path
   * reaches the dependency jars where they are (relative to the jar, as the manifest wants).
   */
  private static void jar(Path jar) throws IOException, URISyntaxException {
    Files.createDirectories(jar.getParent());
    Path classes = null;
    List<String> classPath = new ArrayList<>();
    for (String entry :
        System.getProperty("java.class.path").split(java.io.File.pathSeparator, -1)) {
      Path p = Path.of(entry).toAbsolutePath();
      if (Files.isRegularFile(p.resolve("dev/llmrouter/cli/Main.class"))) {
        classes = p;
      } else if (entry.endsWith(".jar")) {
        String relative = jar.getParent().toAbsolutePath().relativize(p).toString();
        classPath.add(new URI(null, null, relative, null).toASCIIString());
      }
    }
    assertThat(classes).as("the main classes on the class path").isNotNull();
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    main.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    main.put(new Attributes.Name("Add-Opens"), "jdk.httpserver/sun.net.httpserver");
    Path root = classes;
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(root.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
  }

  private String dryRun(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "make", ".out");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " still running after 30 s");
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
