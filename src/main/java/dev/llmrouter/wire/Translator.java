package dev.llmrouter.wire;

/**
 * A client of one API served by a provider of the other: the request on its way up, the answer, an
 * error and a stream on their way back. {@link #between} gives the one for a pair of APIs, or null
 * when both speak the same one (then nothing is translated, and bodies pass byte for byte).
 *
 * <p>Implementations are stateless and thread-safe; {@link #stream()} gives a fresh, single-use
 * translator per stream.
 */
public interface Translator {

  /** What a provider of another API is told when a request sets no output limit. */
  int DEFAULT_MAX_TOKENS = 4096;

  /**
   * The output limit a translated request carries: the client's, or when it set none the provider's
   * {@code max_tokens}, else {@link #DEFAULT_MAX_TOKENS} (Anthropic requires a limit). With {@code
   * capped}, the client's is at most the provider's {@code max_tokens} when its config sets one:
   * toward an OpenAI-API provider, since Claude Code asks for 32000 to 128000, which DeepSeek's
   * 8192 or gpt-4o's 16384 refuse with a 400.
   *
   * @param requested the client's limit; null when it set none
   * @param configured the provider's {@code max_tokens}; 0 when its config sets none
   */
  static long outputLimit(Long requested, int configured, boolean capped) {
    if (requested == null) {
      return configured > 0 ? configured : DEFAULT_MAX_TOKENS;
    }
    return capped && configured > 0 ? Math.min(requested, configured) : requested;
  }

  /**
   * A request asks for something the provider's API cannot express faithfully ({@code n} > 1,
   * {@code logprobs}, audio, a {@code json_schema} or {@code json_object} {@code response_format},
   * {@code prediction}; Anthropic {@code document} blocks, server tools, {@code container}, {@code
   * mcp_servers}): that provider is skipped for this request.
   */
  final class NotTranslatable extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * The request field at fault, as the client wrote it: {@code n}, {@code messages[2].content}.
     */
    private final String field;

    public NotTranslatable(String field, String why) {
      super(why, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** The API the client speaks. */
  Api client();

  /** The API the provider speaks. */
  Api provider();

  /**
   * The provider's request for the client's request body.
   *
   * @param model the provider's model ID (already mapped through the provider's model list)
   * @param maxTokens the provider's {@code max_tokens}, 0 when its config sets none (see {@link
   *     #outputLimit})
   * @throws NotTranslatable when the request cannot be expressed faithfully, or a field is not what
   *     the client's API defines ({@code messages} not an array, an unknown role): a provider of
   *     the client's own API may still take it, and answer for it
   * @throws IllegalArgumentException when the body is not a JSON object (checked before)
   */
  byte[] request(byte[] clientBody, String model, int maxTokens) throws NotTranslatable;

  /** A complete 2xx answer of the provider, as the client's API's answer. */
  byte[] response(byte[] providerBody);

  /**
   * The same, for the answer to {@code clientRequest} (the client's request body): what the request
   * was sent with changed (a tool name too long for the provider's API) comes back as the client
   * knows it.
   */
  default byte[] response(byte[] providerBody, byte[] clientRequest) {
    return response(providerBody);
  }

  /**
   * A provider's error answer (status 400 and above), as the client's API's error body for the same
   * status, keeping the provider's message.
   */
  byte[] error(int status, byte[] providerBody);

  /** A fresh translator for one stream of the provider's events. */
  StreamTranslator stream();

  /**
   * The same, knowing whether an OpenAI client asked for the usage chunk ({@code
   * stream_options.include_usage}); the other direction always reports usage in its {@code
   * message_delta}.
   */
  default StreamTranslator stream(boolean includeUsage) {
    return stream();
  }

  /** The same, for the stream that answers {@code clientRequest} (see {@link #response}). */
  default StreamTranslator stream(boolean includeUsage, byte[] clientRequest) {
    return stream(includeUsage);
  }

  /**
   * The translator for a client of {@code client}'s API served by a provider of {@code provider}'s.
   */
  static Translator between(Api client, Api provider) {
    if (client == provider) {
      return null;
    }
    return client == Api.OPENAI ? ChatViaMessages.INSTANCE : MessagesViaChat.INSTANCE;
  }
}
