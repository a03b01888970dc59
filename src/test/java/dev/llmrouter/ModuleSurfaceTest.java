package dev.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's public surface is the facade: the module exports {@code dev.llmrouter} and {@code
 * dev.llmrouter.config} and nothing else, so an embedding program compiles against those and cannot
 * reach the server, routing, upstream or logging classes.
 */
class ModuleSurfaceTest {

  @TempDir Path dir;

  @Test
  void onlyTheFacadeAndItsConfigAreExported() throws Exception {
    ModuleDescriptor module = routerModule();

    // The CLI's package, to the JDK's logging alone: it creates the log manager by reflection.
    assertThat(module.exports())
        .filteredOn(ModuleDescriptor.Exports::isQualified)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).isEqualTo("dev.llmrouter.cli");
              assertThat(e.targets()).containsExactly("java.logging");
            });
    assertThat(module.exports())
        .filteredOn(e -> !e.isQualified())
        .extracting(ModuleDescriptor.Exports::source)
        .containsExactlyInAnyOrder("dev.llmrouter", "dev.llmrouter.config");
    assertThat(module.opens()).isEmpty();
    assertThat(module.packages())
        .contains(
            "dev.llmrouter.server",
            "dev.llmrouter.routing",
            "dev.llmrouter.upstream",
            "dev.llmrouter.logging");
  }

  @Test
  void anEmbeddingModuleCompilesAndRunsAgainstTheFacadeButCannotReachTheInternals()
      throws Exception {
    String facadeOnly =
        """
        package embedder;
        import dev.llmrouter.Router;
        import dev.llmrouter.config.ProviderConfig;
        import dev.llmrouter.config.RouterConfig;
        import dev.llmrouter.config.ServerSettings;
        import java.net.URI;
        import java.nio.file.Path;
        import java.util.List;
        public class App {
          public static void main(String[] args) throws Exception {
            RouterConfig config = new RouterConfig(ServerSettings.defaults().withPort(0),
                Path.of("logs"), List.of(ProviderConfig.of("main", "sk-embedded-0123456789",
                URI.create("http://127.0.0.1:9/v1"))), List.of());
            try (Router router = Router.start(config)) {
              System.out.println("serving on port " + router.port());
            }
          }
        }
        """;
    Path app = dir.resolve("app");
    assertThat(compileEmbedder(facadeOnly, app)).isEmpty();
    // On the module path, the router (HttpServer, Jackson, its resources) starts and stops.
    String out =
        run(
            javaCommand(
                "--module-path",
                app + File.pathSeparator + modulePath(),
                "--module",
                "embedder/embedder.App"));
    assertThat(out).containsPattern("serving on port [1-9][0-9]*");

    String internal =
        """
        package embedder;
        public class App {
          Object server = dev.llmrouter.server.RouterServer.class;
        }
        """;
    assertThat(compileEmbedder(internal, dir.resolve("internal")))
        .contains("dev.llmrouter.server")
        .contains("not visible");
  }

  @Test
  void theCommandLineRunsFromTheModulePath() throws Exception {
    String out =
        run(
            javaCommand(
                "--module-path",
                modulePath(),
                "--module",
                "dev.llmrouter/dev.llmrouter.cli.Main",
                "--version"));
    assertThat(out).startsWith("llm-api-router ");
  }

  private static List<String> javaCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(List.of(args));
    return command;
  }

  /** Runs a child JVM in the temp folder; its output, after checking that it exited with 0. */
  private String run(List<String> command) throws Exception {
    Path output = Files.createTempFile(dir, "out", ".txt");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
    } finally {
      process.destroyForcibly();
    }
    String out = Files.readString(output);
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  /**
   * Compiles {@code embedder/App.java} in a module that requires dev.llmrouter, into {@code
   * classes}; javac's errors (empty when it compiled).
   */
  private String compileEmbedder(String app, Path classes) throws Exception {
    Optional<ToolProvider> javac = ToolProvider.findFirst("javac");
    assumeTrue(javac.isPresent(), "javac is needed: tests run on a JDK");
    Path src = Files.createTempDirectory(dir, "src");
    Files.createDirectories(src.resolve("embedder"));
    Files.writeString(
        src.resolve("module-info.java"), "module embedder { requires dev.llmrouter; }");
    Files.writeString(src.resolve("embedder/App.java"), app);
    StringWriter errors = new StringWriter();
    int code;
    try (PrintWriter err = new PrintWriter(errors)) {
      code =
          javac
              .get()
              .run(
                  err,
                  err,
                  "--module-path",
                  modulePath(),
                  "-d",
                  classes.toString(),
                  src.resolve("module-info.java").toString(),
                  src.resolve("embedder/App.java").toString());
    }
    assertThat(errors.toString().isEmpty()).as(errors.toString()).isEqualTo(code == 0);
    return errors.toString();
  }

  /** The router's compiled classes plus the Jackson jars this test run uses. */
  private static String modulePath() throws URISyntaxException {
    String jackson =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> Path.of(entry).getFileName().toString().startsWith("jackson-"))
            .collect(Collectors.joining(File.pathSeparator));
    return routerClasses() + File.pathSeparator + jackson;
  }

  private static Path routerClasses() throws URISyntaxException {
    return Path.of(Router.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor routerModule() throws URISyntaxException {
    Path classes = routerClasses();
    return ModuleFinder.of(classes)
        .find("dev.llmrouter")
        .orElseThrow(() -> new AssertionError("no module dev.llmrouter in " + classes))
        .descriptor();
  }
}
