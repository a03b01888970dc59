package dev.llmrouter.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.Router;
import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.TestTemp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every recipe of the README's "Providers" section, as written there: the router is started with it
 * (base URLs pointed at fake providers, keys from the environment it references), a request goes
 * through, and the fake's view is checked: path, credential, model, extra headers.
 */
class ReadmeProviderRecipesTest {

  private static final Pattern RECIPE =
      Pattern.compile("(?m)^### (.+)\\n(?:(?!^### )[\\s\\S])*?```json\\n([\\s\\S]*?)```");
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Z_]+)}");

  static Map<String, String> recipes() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## Providers\n");
    assertThat(start).as("README has a Providers section").isPositive();
    int end = readme.indexOf("\n## ", start + 5);
    Matcher m = RECIPE.matcher(readme.substring(start, end < 0 ? readme.length() : end));
    Map<String, String> recipes = new LinkedHashMap<>();
    while (m.find()) {
      recipes.put(m.group(1).trim(), m.group(2));
    }
    return recipes;
  }

  @TestFactory
  Stream<DynamicTest> everyRecipeWorksAsWritten() throws IOException {
    Map<String, String> recipes = recipes();
    assertThat(recipes.keySet())
        .containsExactlyInAnyOrder(
            "OpenAI",
            "Azure OpenAI (v1 API)",
            "OpenRouter",
            "DeepSeek",
            "Groq (or Together, or any OpenAI-compatible cloud)",
            "vLLM",
            "Ollama",
            "LM Studio",
            "Anthropic",
            "A cheaper model as the last resort",
            "A chain: OpenAI, then OpenRouter, then a local Ollama");
    return recipes.entrySet().stream()
        .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> check(e.getKey(), e.getValue())));
  }

  @org.junit.jupiter.api.Test
  void theTranslationSectionsExampleIsAValidConfigWithTranslatedProviders() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## Translation\n");
    assertThat(start).isPositive();
    int block = readme.indexOf("```json\n", start) + "```json\n".length();
    String json = readme.substring(block, readme.indexOf("```", block));
    Map<String, String> env = new HashMap<>();
    Matcher m = ENV.matcher(json);
    while (m.find()) {
      env.put(m.group(1), key(m.group(1)));
    }
    RouterConfig config = ConfigLoader.parse(json, env);
    assertThat(config.openai().get(1).api()).isEqualTo(dev.llmrouter.config.Family.ANTHROPIC);
    assertThat(config.anthropic().get(1).api()).isEqualTo(dev.llmrouter.config.Family.OPENAI);
  }

  /** The value a recipe's {@code ${VAR}} gets here: long enough to be a redacted secret. */
  private static String key(String variable) {
    return "sk-recipe-" + variable.toLowerCase(java.util.Locale.ROOT) + "-0123456789";
  }

  private static void check(String name, String json) throws Exception {
    try (Recipe r = new Recipe(json)) {
      switch (name) {
        case "OpenAI" -> {
          Received got = r.ask("/openai/v1/chat/completions", "gpt-4o", "api.openai.com");
          assertThat(got.target()).isEqualTo("/v1/chat/completions");
          assertThat(got.header("authorization")).isEqualTo("Bearer " + key("OPENAI_API_KEY"));
          assertThat(model(got)).isEqualTo("gpt-4o");
        }
        case "Azure OpenAI (v1 API)" -> {
          Received got = r.ask("/openai/chat/completions", "gpt-4o", "my-resource");
          assertThat(got.target()).isEqualTo("/openai/v1/chat/completions");
          assertThat(got.header("api-key")).isEqualTo(key("AZURE_OPENAI_API_KEY"));
          assertThat(got.header("authorization")).isNull();
          assertThat(model(got)).isEqualTo("my-gpt4o-deployment");
        }
        case "OpenRouter" -> {
          Received got = r.ask("/openai/v1/chat/completions", "gpt-4o", "openrouter.ai");
          assertThat(got.target()).isEqualTo("/api/v1/chat/completions");
          assertThat(got.header("authorization")).isEqualTo("Bearer " + key("OPENROUTER_API_KEY"));
          assertThat(model(got)).isEqualTo("openai/gpt-4o");
          assertThat(got.header("http-referer")).isEqualTo("https://app.example.com");
          assertThat(got.header("x-title")).isEqualTo("My App");
          Received claude = r.ask("/openai/v1/chat/completions", "claude-sonnet-4-5", "openrouter");
          assertThat(model(claude)).isEqualTo("anthropic/claude-sonnet-4.5");
        }
        case "DeepSeek" -> {
          Received chat = r.ask("/openai/v1/chat/completions", "gpt-4o", "api.deepseek.com");
          assertThat(chat.target()).isEqualTo("/chat/completions");
          assertThat(chat.header("authorization")).isEqualTo("Bearer " + key("DEEPSEEK_API_KEY"));
          assertThat(model(chat)).isEqualTo("deepseek-chat");
          Received messages =
              r.ask("/anthropic/v1/messages", "claude-sonnet-4-5", "api.deepseek.com");
          assertThat(messages.target()).isEqualTo("/anthropic/v1/messages");
          assertThat(messages.header("x-api-key")).isEqualTo(key("DEEPSEEK_API_KEY"));
          assertThat(messages.header("anthropic-version")).isEqualTo("2023-06-01");
          assertThat(model(messages)).isEqualTo("deepseek-chat");
        }
        case "Groq (or Together, or any OpenAI-compatible cloud)" -> {
          Received got = r.ask("/openai/v1/chat/completions", "gpt-4o-mini", "api.groq.com");
          assertThat(got.target()).isEqualTo("/openai/v1/chat/completions");
          assertThat(got.header("authorization")).isEqualTo("Bearer " + key("GROQ_API_KEY"));
          assertThat(model(got)).isEqualTo("llama-3.1-8b-instant");
        }
        case "vLLM" -> keyless(r, "Qwen/Qwen2.5-7B-Instruct", "Qwen/Qwen2.5-7B-Instruct", "8001");
        case "Ollama" -> keyless(r, "gpt-4o-mini", "llama3.1:8b", "11434");
        case "LM Studio" -> keyless(r, "qwen2.5-7b-instruct", "qwen2.5-7b-instruct", "1234");
        case "Anthropic" -> {
          Received got = r.ask("/anthropic/v1/messages", "claude-sonnet-4-5", "api.anthropic.com");
          assertThat(got.target()).isEqualTo("/v1/messages");
          assertThat(got.header("x-api-key")).isEqualTo(key("ANTHROPIC_API_KEY"));
          assertThat(got.header("authorization")).isNull();
          assertThat(model(got)).isEqualTo("claude-sonnet-4-5");
        }
        case "A cheaper model as the last resort" -> {
          FakeUpstream openai = r.fake("api.openai.com");
          openai.enqueue(Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow"));
          HttpResponse<String> answer = r.post("/openai/v1/chat/completions", "gpt-4o");
          assertThat(answer.statusCode()).isEqualTo(200);
          assertThat(answer.headers().firstValue("x-router-model")).hasValue("gpt-4o-mini");
          assertThat(openai.received())
              .extracting(ReadmeProviderRecipesTest::model)
              .containsExactly("gpt-4o", "gpt-4o-mini");
        }
        case "A chain: OpenAI, then OpenRouter, then a local Ollama" -> chain(r);
        default -> throw new AssertionError("no check for recipe " + name);
      }
    }
  }

  private static void keyless(Recipe r, String asked, String sent, String port) throws Exception {
    Received got = r.ask("/openai/v1/chat/completions", asked, "127.0.0.1:" + port);
    assertThat(got.target()).isEqualTo("/v1/chat/completions");
    assertThat(got.header("authorization")).isNull();
    assertThat(got.header("x-api-key")).isNull();
    assertThat(got.header("api-key")).isNull();
    assertThat(model(got)).isEqualTo(sent);
  }

  private static void chain(Recipe r) throws Exception {
    FakeUpstream openai = r.fake("api.openai.com");
    FakeUpstream openRouter = r.fake("openrouter.ai");
    FakeUpstream ollama = r.fake("127.0.0.1:11434");
    openai.always(Reply.openAiError(503, "server_error", null, "down"));
    openRouter.always(Reply.openAiError(503, "server_error", null, "down"));

    HttpResponse<String> mini = r.post("/openai/v1/chat/completions", "gpt-4o-mini");
    HttpResponse<String> big = r.post("/openai/v1/chat/completions", "gpt-4o");

    assertThat(mini.statusCode()).isEqualTo(200);
    assertThat(mini.headers().firstValue("x-router-provider")).hasValue("ollama");
    assertThat(model(openRouter.received().get(0))).isEqualTo("openai/gpt-4o-mini");
    assertThat(model(ollama.received().get(0))).isEqualTo("llama3.1:8b");
    assertThat(big.statusCode()).isEqualTo(502);
    assertThat(ollama.requestCount()).isEqualTo(1); // it does not serve gpt-4o
  }

  private static String model(Received r) {
    return Json.MAPPER.readTree(r.body()).path("model").asString();
  }

  /** A recipe started as a router, each of its hosts played by a fake provider. */
  private static final class Recipe implements AutoCloseable {
    private final Map<String, FakeUpstream> fakes = new HashMap<>();
    private final Router router;

    Recipe(String json) throws Exception {
      ObjectNode root = (ObjectNode) Json.MAPPER.readTree(json);
      Map<String, String> env = new HashMap<>();
      Matcher m = ENV.matcher(json);
      while (m.find()) {
        env.put(m.group(1), key(m.group(1)));
      }
      for (String endpoint : List.of("openai", "anthropic")) {
        for (JsonNode p : root.path(endpoint)) {
          URI url = URI.create(p.path("base_url").asString());
          FakeUpstream fake = fakes.computeIfAbsent(url.getAuthority(), a -> FakeUpstream.start());
          fake.always(
              endpoint.equals("openai") ? Reply.openAiOk("recipe") : Reply.anthropicOk("recipe"));
          ((ObjectNode) p).put("base_url", fake.baseUrl() + url.getRawPath());
        }
      }
      RouterConfig config = ConfigLoader.parse(Json.MAPPER.writeValueAsString(root), env);
      router =
          Router.start(
              config
                  .withServer(config.server().withPort(0))
                  .withLogDir(TestTemp.dir("recipe-logs")));
    }

    FakeUpstream fake(String hostPart) {
      List<String> matching = new ArrayList<>();
      fakes.keySet().stream().filter(a -> a.contains(hostPart)).forEach(matching::add);
      assertThat(matching).as("one host of the recipe contains " + hostPart).hasSize(1);
      return fakes.get(matching.get(0));
    }

    HttpResponse<String> post(String path, String model) {
      String body =
          path.startsWith("/anthropic")
              ? "{\"model\":\"" + model + "\",\"max_tokens\":8,\"messages\":[]}"
              : "{\"model\":\"" + model + "\",\"messages\":[]}";
      return RouterHarness.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.port() + path))
              .timeout(Duration.ofSeconds(20))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build());
    }

    /** Posts, expects 200, and returns what the provider at {@code hostPart} received last. */
    Received ask(String path, String model, String hostPart) {
      HttpResponse<String> answer = post(path, model);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      List<Received> got = fake(hostPart).received();
      assertThat(got).isNotEmpty();
      return got.get(got.size() - 1);
    }

    @Override
    public void close() {
      router.close(Duration.ZERO);
      fakes.values().forEach(FakeUpstream::close);
    }
  }
}
