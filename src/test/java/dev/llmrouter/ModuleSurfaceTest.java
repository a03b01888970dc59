package dev.llmrouter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    assertThat(module.exports())
        .allSatisfy(e -> assertThat(e.isQualified()).isFalse())
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
  void anEmbeddingModuleCompilesAgainstTheFacadeButNotTheInternals() throws Exception {
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
                Path.of("logs"), List.of(ProviderConfig.of("main", "sk-x",
                URI.create("http://127.0.0.1:9/v1"))), List.of());
            try (Router router = Router.start(config)) {
              System.out.println(router.port());
            }
          }
        }
        """;
    assertThat(compileEmbedder(facadeOnly)).isEmpty();

    String internal =
        """
        package embedder;
        public class App {
          Object server = dev.llmrouter.server.RouterServer.class;
        }
        """;
    assertThat(compileEmbedder(internal)).contains("dev.llmrouter.server").contains("not visible");
  }

  @Test
  void theModuleRunsFromTheModulePath() throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "--module-path",
            modulePath(),
            "--module",
            "dev.llmrouter/dev.llmrouter.cli.Main",
            "--version");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).startsWith("llm-api-router ");
  }

  /** Compiles {@code embedder/App.java} in a module that requires dev.llmrouter; javac's errors. */
  private String compileEmbedder(String app) throws Exception {
    Path src = Files.createTempDirectory(dir, "src");
    Files.createDirectories(src.resolve("embedder"));
    Files.writeString(
        src.resolve("module-info.java"), "module embedder { requires dev.llmrouter; }");
    Files.writeString(src.resolve("embedder/App.java"), app);
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
            "--module-path",
            modulePath(),
            "-d",
            Files.createTempDirectory(dir, "out").toString(),
            src.resolve("module-info.java").toString(),
            src.resolve("embedder/App.java").toString());
    Process javac = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(javac.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(javac.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out.isEmpty()).isEqualTo(javac.exitValue() == 0);
    return out;
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
