package dev.llmrouter.cli;

import dev.llmrouter.Version;
import dev.llmrouter.config.ConfigException;
import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.config.ConfigWatcher;
import dev.llmrouter.config.ModelMap;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.ProviderHeader;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.config.ServerSettings;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.upstream.ProxyEnvironment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command line: parses, runs one command, returns its exit code (0 ok, 1 failed, 2 usage).
 * Never exits the JVM itself; {@link Main} does.
 */
public final class Cli {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  /** How the user runs the router, for advice that names a command (see {@link Invocation}). */
  private final String invokedAs;

  Cli(PrintStream out, PrintStream err, Map<String, String> env, String invokedAs) {
    this.out = out;
    this.err = err;
    this.env = env;
    this.invokedAs = invokedAs;
  }

  /**
   * Runs the command; {@code serve}, {@code mock} and {@code demo} block until shutdown. Advice
   * names commands as {@code llm-api-router ...}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, out, err, env, Invocation.DEFAULT);
  }

  /** The same, naming commands in advice as {@code invokedAs} (e.g. {@code java -jar x.jar}). */
  static int run(
      String[] args, PrintStream out, PrintStream err, Map<String, String> env, String invokedAs) {
    return new Cli(out, err, env, invokedAs).run(ArgParser.parse(Arrays.asList(args)));
  }

  int run(Command command) {
    return switch (command) {
      case Command.Help h -> help(h.topic());
      case Command.Version v -> {
        out.println("llm-api-router " + Version.get());
        yield OK;
      }
      case Command.UsageError u -> {
        err.println("llm-api-router: " + u.message());
        err.println("Run '" + invokedAs + " --help' for usage.");
        yield USAGE;
      }
      case Command.Init i -> init(i);
      case Command.Check c -> check(c);
      case Command.Serve s -> {
        if (Files.exists(s.config()) && !Files.isRegularFile(s.config())) {
          // A pipe (--config <(envsubst < tpl), /dev/stdin) can be read once; serve reads its
          // config again to see what changed, and would have found it empty.
          err.println(
              "llm-api-router: cannot serve from "
                  + s.config()
                  + ": not a regular file (a pipe or a device); serve reads its config again"
                  + " when it changes: write it to a file and pass that");
          yield FAILED;
        }
        Serving.prepareUpstreams(env, err);
        // Before the file is read: an edit made while the router starts is then noticed.
        ConfigWatcher.Version version = ConfigWatcher.versionOf(s.config());
        yield Serving.serve(s, load(s.config()), version, out, err, env);
      }
      case Command.Mock m -> MockCommands.mock(m, out, err);
      case Command.Demo d -> MockCommands.demo(d, out, err);
      case Command.Stats s -> StatsCommand.run(s, out, err, this::logDir, invokedAs);
    };
  }

  private int help(String topic) {
    String text = Usage.of(topic, invokedAs);
    if (text == null) {
      err.println("llm-api-router: no help for unknown command '" + topic + "'");
      err.println("Run '" + invokedAs + " --help' for usage.");
      return USAGE;
    }
    out.print(text);
    return OK;
  }

  private int init(Command.Init init) {
    Path file = init.config();
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && Files.exists(folder) && !Files.isDirectory(folder)) {
      // createDirectories would throw FileAlreadyExistsException, read below as the config's own.
      err.println(
          "llm-api-router: cannot write " + file + ": " + folder + " is a file, not a folder");
      return FAILED;
    }
    if (Files.isDirectory(file)) {
      err.println("llm-api-router: cannot write " + file + ": it is a folder");
      return FAILED;
    }
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      byte[] text = ConfigLoader.exampleJson().getBytes(StandardCharsets.UTF_8);
      if (init.force()) {
        Files.write(file, text);
      } else {
        Files.write(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      err.println("llm-api-router: " + file + " already exists; use --force to overwrite it");
      return FAILED;
    } catch (IOException e) {
      err.println("llm-api-router: cannot write " + file + ": " + StartFailure.inWords(e));
      return FAILED;
    }
    out.println("Wrote an example config to " + file + ".");
    out.println("Set " + referencedVariables() + " (or edit the file), then run:");
    out.println("  " + invokedAs + " check --config " + Invocation.quoted(file.toString()));
    out.println("  " + invokedAs + " serve --config " + Invocation.quoted(file.toString()));
    return OK;
  }

  /**
   * The variables the example config references, read from its text so the advice cannot drift from
   * the file: {@code check} fails on every one that is unset, not just the first two.
   */
  private static String referencedVariables() {
    List<String> names =
        ENV_REFERENCE
            .matcher(ConfigLoader.exampleJson())
            .results()
            .map(m -> m.group(1))
            .distinct()
            .toList();
    if (names.size() < 2) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1))
        + " and "
        + names.get(names.size() - 1);
  }

  private int check(Command.Check check) {
    RouterConfig config = load(check.config());
    if (config == null) {
      return FAILED;
    }
    ServerSettings s = config.server();
    out.println(check.config() + ": valid");
    out.println(
        "server: "
            + ServerSettings.hostForUrl(s.host())
            + ":"
            + s.port()
            + ", gateway auth: "
            + (s.apiKeys().isEmpty() ? "off" : s.apiKeys().size() + " key(s)")
            + ", logs: "
            + config.logDir());
    for (int i = 0; i < s.apiKeys().size(); i++) {
      if (s.apiKeys().get(i).length() < Redactor.MIN_SECRET_LENGTH) {
        // Redacting a short string would blank out every word that holds it (see Redactor).
        err.println(
            "llm-api-router: warning: server.api_keys["
                + i
                + "] is shorter than "
                + Redactor.MIN_SECRET_LENGTH
                + " characters: easy to guess, and not redacted where a client repeats it (a"
                + " prompt that quotes it is logged as sent)");
      }
    }
    printEndpoint("openai", config.openai());
    printEndpoint("anthropic", config.anthropic());
    // What serve would take from the environment; a -D flag of serve's JVM would win over it.
    ProxyEnvironment.Settings proxy = ProxyEnvironment.read(env, System::getProperty);
    for (String note : proxy.notes()) {
      out.println("proxy: " + note);
    }
    for (String warning : proxy.warnings()) {
      out.println("proxy: warning: " + warning);
    }
    return OK;
  }

  private void printEndpoint(String name, List<ProviderConfig> providers) {
    out.println(
        name
            + ": "
            + switch (providers.size()) {
              case 0 -> "no providers";
              case 1 -> "1 provider";
              default -> providers.size() + " providers, in priority order";
            });
    int n = 1;
    for (ProviderConfig p : providers) {
      out.printf(
          "  %d. %s  %s  api=%s%s priority=%d timeout=%ss max_retries=%d%s%s auth=%s key=%s%n",
          n++,
          p.name(),
          p.baseUrl(),
          p.api().id(),
          // A provider of the other API is reached through translation (README "Translation").
          p.api().id().equals(name) ? "" : " (translated)",
          p.priority(),
          Durations.seconds(p.timeout()),
          p.maxRetries(),
          p.retryOnTimeout() ? " retry_on_timeout" : "",
          p.maxTokens() > 0 ? " max_tokens=" + p.maxTokens() : "",
          p.auth().configName(),
          p.apiKey() == null ? "none" : Redactor.mask(p.apiKey()));
      out.println("     models: " + models(p.models()));
      if (!p.headers().isEmpty()) {
        out.println("     headers: " + headers(p.headers()));
      }
      if (p.apiKey() != null && p.apiKey().length() < Redactor.MIN_SECRET_LENGTH) {
        err.println(
            "llm-api-router: warning: "
                + name
                + " provider "
                + p.name()
                + ": its api_key is shorter than "
                + Redactor.MIN_SECRET_LENGTH
                + " characters and looks like a placeholder (it is not redacted); for a server"
                + " that takes no key, set \"auth\": \"none\" and remove api_key");
      }
    }
  }

  /** {@code gpt-4o -> openai/gpt-4o, claude-*}: an alias shows its upstream ID. */
  private static String models(ModelMap models) {
    if (models.servesAny()) {
      return "any model (sent as asked)";
    }
    List<String> shown = new ArrayList<>();
    for (ModelMap.Entry e : models.entries()) {
      shown.add(e.alias().equals(e.upstream()) ? e.alias() : e.alias() + " -> " + e.upstream());
    }
    return String.join(", ", shown);
  }

  /** Names with values; a value from the environment or a file is a secret and shows masked. */
  private static String headers(List<ProviderHeader> headers) {
    List<String> shown = new ArrayList<>();
    for (ProviderHeader h : headers) {
      shown.add(h.name() + ": " + (h.secret() ? masked(h) + " (secret)" : h.value()));
    }
    return String.join(", ", shown);
  }

  /**
   * A secret header's value with each secret in it masked on its own: of {@code Bearer ${TOK}},
   * masking the whole value would show the last characters of a short token.
   */
  private static String masked(ProviderHeader h) {
    String value = h.value();
    for (String part : h.secretParts()) {
      if (!part.isEmpty()) {
        value = value.replace(part, Redactor.mask(part));
      }
    }
    return value.equals(h.value()) ? Redactor.mask(value) : value;
  }

  /**
   * Loads the config or prints every problem (never a stack trace) and returns null. Warnings are
   * printed either way.
   */
  private RouterConfig load(Path file) {
    if (Files.notExists(file)) {
      missing(file);
      return null;
    }
    try {
      RouterConfig config =
          ConfigLoader.load(file, env, w -> err.println("llm-api-router: warning: " + w));
      String warning = ConfigFileModes.warning(file);
      if (warning != null) {
        err.println("llm-api-router: " + warning);
      }
      return config;
    } catch (ConfigException e) {
      err.println("llm-api-router: invalid config " + file + ":");
      for (String problem : e.problems()) {
        err.println("  " + problem);
      }
      return null;
    }
  }

  /**
   * The log folder a config names, its {@code logging} section alone read (see {@link
   * ConfigLoader#logging}); null after its problems were printed.
   */
  private Path logDir(Path file) {
    if (Files.notExists(file)) {
      missing(file);
      return null;
    }
    try {
      return ConfigLoader.logging(file, env).dir();
    } catch (ConfigException e) {
      err.println("llm-api-router: invalid config " + file + ":");
      for (String problem : e.problems()) {
        err.println("  " + problem);
      }
      return null;
    }
  }

  /** No file where the config was looked for: where that was, and how to make one. */
  private void missing(Path file) {
    String init =
        file.equals(Path.of(RouterConfig.DEFAULT_FILE))
            ? invokedAs + " init"
            : invokedAs + " init --config " + Invocation.quoted(file.toString());
    err.println("llm-api-router: no config file at " + file.toAbsolutePath());
    err.println(
        "Write a starter config with '" + init + "', or name an existing one with --config FILE.");
  }
}
