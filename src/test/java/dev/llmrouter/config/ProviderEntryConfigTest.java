package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.parse;
import static dev.llmrouter.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provider keys that describe a real provider: models, auth, headers, base_url checks. */
class ProviderEntryConfigTest {

  private static final String URL = "'base_url':'https://openrouter.ai/api/v1'";

  @Test
  void withoutTheNewKeysAProviderServesAnyModelWithItsEndpointsAuth() throws Exception {
    RouterConfig c =
        parse(
            "{'openai':[{'api_key':'sk-aaaaaaaa',"
                + URL
                + "}],"
                + "'anthropic':[{'api_key':'sk-bbbbbbbb','base_url':'https://api.anthropic.com'}]}");
    assertThat(c.openai().get(0).models()).isEqualTo(ModelMap.ANY);
    assertThat(c.openai().get(0).auth()).isEqualTo(Auth.BEARER);
    assertThat(c.openai().get(0).headers()).isEmpty();
    assertThat(c.anthropic().get(0).auth()).isEqualTo(Auth.X_API_KEY);
  }

  @Test
  void modelsAsAListOrAnObjectOfAliases() throws Exception {
    RouterConfig c =
        parse(
            "{'openai':["
                + "{'name':'a','api_key':'sk-aaaaaaaa',"
                + URL
                + ",'models':['gpt-4o','claude-*']},"
                + "{'name':'b','api_key':'sk-aaaaaaaa',"
                + URL
                + ",'models':{'gpt-4o':'openai/gpt-4o',"
                + "'*':'openai/*'}}]}");
    ModelMap a = c.openai().get(0).models();
    ModelMap b = c.openai().get(1).models();
    assertThat(a.upstreamFor("gpt-4o")).isEqualTo("gpt-4o");
    assertThat(a.upstreamFor("claude-x")).isEqualTo("claude-x");
    assertThat(a.listedNames()).containsExactly("gpt-4o");
    assertThat(b.upstreamFor("gpt-4o")).isEqualTo("openai/gpt-4o");
    assertThat(b.upstreamFor("o3")).isEqualTo("openai/o3");
  }

  @Test
  void everyModelsProblemHasItsPath() {
    String p = "'api_key':'sk-aaaaaaaa'," + URL;
    assertThat(problems("{'openai':[{" + p + ",'models':[]}]}"))
        .containsExactly(
            "openai[0].models: must be a non-empty array of model names or a"
                + " non-empty object of model name -> model ID");
    assertThat(problems("{'openai':[{" + p + ",'models':{}}]}")).hasSize(1);
    assertThat(problems("{'openai':[{" + p + ",'models':'gpt-4o'}]}")).hasSize(1);
    assertThat(problems("{'openai':[{" + p + ",'models':['a','',3,'a','b*c']}]}"))
        .containsExactly(
            "openai[0].models[1]: must be a non-empty string",
            "openai[0].models[2]: must be a non-empty string",
            "openai[0].models[3]: duplicate model name 'a'",
            "openai[0].models[4]: '*' may appear only at the end of a name");
    assertThat(
            problems(
                "{'openai':[{"
                    + p
                    + ",'models':{'a':'x/*','b*':'y/*/*','c':'','d':1,"
                    + "'**':'z'}}]}"))
        .containsExactly(
            "openai[0].models.a: a '*' in a model ID needs a '*' at the end of its name",
            "openai[0].models[\"b*\"]: at most one '*' per model ID",
            "openai[0].models.c: must be a non-empty string (the provider's model ID)",
            "openai[0].models.d: must be a non-empty string (the provider's model ID)",
            "openai[0].models[\"**\"]: '*' may appear only at the end of a name");
    // Pasted white space or a control character: such a name would never match a request.
    assertThat(problems("{'openai':[{" + p + ",'models':['gpt-4o ','\\tgpt-4o-mini']}]}"))
        .containsExactly(
            "openai[0].models[0]: names and model IDs must not start or end with white space or"
                + " hold control characters",
            "openai[0].models[1]: names and model IDs must not start or end with white space or"
                + " hold control characters");
    assertThat(problems("{'openai':[{" + p + ",'models':{'x':'dep\\n1'}}]}")).hasSize(1);
    assertThat(problems("{'openai':[{" + p + ",'models':{'a':'x','a':'y'}}]}"))
        .singleElement()
        .asString()
        .contains("duplicate key");
  }

  @Test
  void authStylesAndAKeylessLocalServer() throws Exception {
    RouterConfig c =
        parse(
            "{'openai':["
                + "{'name':'azure','api_key':'azure-key-123',"
                + URL
                + ",'auth':'api-key'},"
                + "{'name':'ollama','base_url':'http://127.0.0.1:11434/v1','auth':'none'}],"
                + "'anthropic':[{'api_key':'sk-bbbbbbbb','base_url':'https://x.example','auth':'bearer'}]}");
    assertThat(c.openai().get(0).auth()).isEqualTo(Auth.API_KEY);
    assertThat(c.openai().get(1).auth()).isEqualTo(Auth.NONE);
    assertThat(c.openai().get(1).apiKey()).isNull();
    assertThat(c.anthropic().get(0).auth()).isEqualTo(Auth.BEARER);
    assertThat(c.secrets()).doesNotContainNull();
  }

  @Test
  void authProblems() {
    assertThat(problems("{'openai':[{'api_key':'sk-aaaaaaaa'," + URL + ",'auth':'basic'}]}"))
        .containsExactly(
            "openai[0].auth: must be one of \"bearer\", \"x-api-key\", \"api-key\", \"none\"");
    assertThat(problems("{'openai':[{'api_key':'sk-aaaaaaaa'," + URL + ",'auth':'none'}]}"))
        .containsExactly(
            "openai[0].api_key: must not be set with \"auth\": \"none\" (that provider is sent no"
                + " key)");
    assertThat(problems("{'openai':[{" + URL + ",'auth':'api-key'}]}"))
        .containsExactly("openai[0].api_key: required");
  }

  @Test
  void headersWithEnvironmentValuesAreSecrets() throws Exception {
    RouterConfig c =
        parse(
            "{'openai':[{'api_key':'sk-aaaaaaaa',"
                + URL
                + ",'headers':{"
                + "'HTTP-Referer':'https://app.example.com','X-Gateway-Key':'${GW}'}}]}",
            Map.of("GW", "gateway-secret-value"));
    assertThat(c.openai().get(0).headers())
        .containsExactly(
            new ProviderHeader("HTTP-Referer", "https://app.example.com", false),
            new ProviderHeader("X-Gateway-Key", "gateway-secret-value", true));
    assertThat(c.secrets())
        .contains("gateway-secret-value")
        .doesNotContain("https://app.example.com");
  }

  @Test
  void aLiteralValueUnderACredentialsNameIsASecretToo() throws Exception {
    RouterConfig c =
        parse(
            "{'openai':[{'api_key':'sk-aaaaaaaa',"
                + URL
                + ",'headers':{'Helicone-Auth':'Bearer sk-helicone-literal-0123',"
                + "'x-goog-api-key':'AIzaLiteralKey0123456','Cookie':'session=abcdef0123456789',"
                + "'X-Title':'My App','anthropic-beta':'tools-2024-04-04'}}]}",
            Map.of());
    List<ProviderHeader> headers = c.openai().get(0).headers();

    assertThat(headers)
        .extracting(ProviderHeader::name, ProviderHeader::secret)
        .containsExactly(
            tuple("Helicone-Auth", true),
            tuple("x-goog-api-key", true),
            tuple("Cookie", true),
            tuple("X-Title", false),
            tuple("anthropic-beta", false));
    assertThat(headers.get(0).secretParts()).containsExactly("sk-helicone-literal-0123");
    assertThat(c.secrets())
        .contains(
            "Bearer sk-helicone-literal-0123",
            "sk-helicone-literal-0123",
            "AIzaLiteralKey0123456",
            "session=abcdef0123456789")
        .doesNotContain("My App", "tools-2024-04-04");
  }

  @Test
  void whatAReferencePutsIntoAHeaderIsASecretOnItsOwn() throws Exception {
    // Helicone and Cloudflare AI Gateway take "Bearer <key>": a provider that echoes the token
    // alone must not get it past a scan for "Bearer <key>".
    RouterConfig c =
        parse(
            "{'openai':[{'api_key':'sk-aaaaaaaa',"
                + URL
                + ",'headers':{'Helicone-Auth':'Bearer ${HELICONE_KEY}',"
                + "'X-Pair':'team-alpha:${A}/${B}'}}]}",
            Map.of("HELICONE_KEY", "sk-helicone-0123456789", "A", "first-part-1", "B", "second-2"));
    ProviderHeader helicone = c.openai().get(0).headers().get(0);
    assertThat(helicone.value()).isEqualTo("Bearer sk-helicone-0123456789");
    assertThat(helicone.secretParts()).containsExactly("sk-helicone-0123456789");
    assertThat(c.openai().get(0).headers().get(1).secretParts())
        .containsExactly("first-part-1", "second-2");
    assertThat(c.secrets())
        .contains("Bearer sk-helicone-0123456789", "sk-helicone-0123456789", "first-part-1")
        .doesNotContain("team-alpha", "Bearer");
  }

  @Test
  void headerProblemsNameEachHeader() {
    assertThat(
            problems(
                "{'openai':[{'api_key':'sk-aaaaaaaa',"
                    + URL
                    + ",'headers':{"
                    + "'Bad Name':'x','Host':'x','authorization':'x','Api-Key':'x','X-Router-Foo':'x',"
                    + "'Transfer-Encoding':'x','X-A':'a\\nb','X-B':1,'x-c':'1','X-C':'2','X-D':'${NOPE}'}}]}"))
        .containsExactly(
            "openai[0].headers[\"Bad Name\"]: is not a valid header name (letters, digits and"
                + " !#$%&'*+-.^_`|~ only)",
            "openai[0].headers.Host: is set by the router and cannot be configured",
            "openai[0].headers.authorization: is set by the router and cannot be configured (put"
                + " the key in api_key and choose how it is sent with auth)",
            "openai[0].headers.Api-Key: is set by the router and cannot be configured (put the"
                + " key in api_key and choose how it is sent with auth)",
            "openai[0].headers.X-Router-Foo: is set by the router and cannot be configured",
            "openai[0].headers.Transfer-Encoding: is set by the router and cannot be configured",
            "openai[0].headers.X-A: must not contain control characters",
            "openai[0].headers.X-B: must be a string",
            "openai[0].headers.X-C: is set twice (header names ignore case)",
            "openai[0].headers.X-D: environment variable NOPE is not set");
  }

  @Test
  void aBaseUrlEndingWithThePathTheRouterAppendsIsAProblem() {
    assertThat(
            problems(
                "{'openai':[{'api_key':'sk-aaaaaaaa',"
                    + "'base_url':'https://api.openai.com/v1/chat/completions/'}],"
                    + "'anthropic':[{'api_key':'sk-aaaaaaaa','base_url':'https://api.anthropic.com/v1'},"
                    + "{'api_key':'sk-aaaaaaaa','base_url':'https://api.anthropic.com/v1/messages'}]}"))
        .containsExactly(
            "openai[0].base_url: ends with /chat/completions, which the router appends itself:"
                + " remove /chat/completions from base_url",
            "anthropic[0].base_url: ends with /v1, but the router appends /v1/messages itself:"
                + " remove the /v1 (e.g. https://api.anthropic.com)",
            "anthropic[1].base_url: ends with /v1/messages, which the router appends itself:"
                + " remove /v1/messages from base_url");
  }

  @Test
  void aBaseUrlEndingWithAnotherRoutesPathIsAProblemButAzureAisModelsIsNot() {
    assertThat(
            problems(
                "{'openai':[{'api_key':'sk-aaaaaaaa','base_url':'https://api.openai.com/v1/responses'},"
                    + "{'api_key':'sk-aaaaaaaa','base_url':'https://api.openai.com/v1/Embeddings/'},"
                    + "{'api_key':'sk-aaaaaaaa','base_url':'http://vllm:8000/v1/completions'},"
                    + "{'api_key':'sk-aaaaaaaa','base_url':'https://r.services.ai.azure.com/models'}],"
                    + "'anthropic':[{'api_key':'sk-aaaaaaaa',"
                    + "'base_url':'https://api.anthropic.com/v1/messages/count_tokens'}]}"))
        .containsExactly(
            "openai[0].base_url: ends with /responses, a path the router appends itself for its"
                + " responses route: remove /responses from base_url",
            "openai[1].base_url: ends with /embeddings, a path the router appends itself for its"
                + " embeddings route: remove /embeddings from base_url",
            "openai[2].base_url: ends with /completions, a path the router appends itself for its"
                + " completions route: remove /completions from base_url",
            "anthropic[0].base_url: ends with /v1/messages/count_tokens, a path the router appends"
                + " itself for its count_tokens route: remove /v1/messages/count_tokens from"
                + " base_url");
  }

  @Test
  void aProviderOfTheOtherApiHasThatApisAuthAndPathAndAnOutputLimit() throws Exception {
    RouterConfig c =
        parse(
            "{'openai':[{'name':'claude','api':'anthropic','api_key':'sk-ant-aaaaaaaa',"
                + "'base_url':'https://api.anthropic.com','max_tokens':8192},"
                + "{'name':'plain','api_key':'sk-aaaaaaaa','base_url':'https://api.openai.com/v1'}],"
                + "'anthropic':[{'name':'deepseek','api':'openai','api_key':'sk-aaaaaaaa',"
                + "'base_url':'https://api.deepseek.com'}]}");
    ProviderConfig claude = c.openai().get(0);
    assertThat(claude.api()).isEqualTo(Family.ANTHROPIC);
    assertThat(claude.auth()).isEqualTo(Auth.X_API_KEY);
    assertThat(claude.maxTokens()).isEqualTo(8192);
    assertThat(c.openai().get(1).api()).isEqualTo(Family.OPENAI);
    assertThat(c.openai().get(1).maxTokens()).isZero(); // none set: 4096 when a request sets none
    assertThat(c.anthropic().get(0).auth()).isEqualTo(Auth.BEARER);
  }

  @Test
  void apiAndMaxTokensProblemsAndTheAppendedPathFollowTheProvidersApi() {
    assertThat(
            problems(
                "{'openai':[{'api':'gemini','api_key':'sk-aaaaaaaa',"
                    + URL
                    + ",'max_tokens':0},"
                    + "{'api':'anthropic','api_key':'sk-aaaaaaaa',"
                    + "'base_url':'https://api.anthropic.com/v1'}]}"))
        .containsExactly(
            "openai[0].api: must be \"openai\" (Chat Completions) or \"anthropic\" (Messages)",
            "openai[0].max_tokens: must be an integer >= 1",
            "openai[1].base_url: ends with /v1, but the router appends /v1/messages itself: remove"
                + " the /v1 (e.g. https://api.anthropic.com)");
  }

  @Test
  void retryOnTimeoutIsOffUnlessSetToTrue() throws Exception {
    String p = "'api_key':'sk-aaaaaaaa'," + URL;
    RouterConfig c =
        parse(
            "{'openai':[{'name':'a',"
                + p
                + "},{'name':'b',"
                + p
                + ",'retry_on_timeout':true},{'name':'c',"
                + p
                + ",'retry_on_timeout':false}]}");
    assertThat(c.openai())
        .extracting(ProviderConfig::retryOnTimeout)
        .containsExactly(false, true, false);
    assertThat(problems("{'openai':[{" + p + ",'retry_on_timeout':'yes'}]}"))
        .containsExactly("openai[0].retry_on_timeout: must be true or false");
  }
}
