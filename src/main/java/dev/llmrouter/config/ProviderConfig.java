package dev.llmrouter.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One upstream provider of an endpoint, as validated from the config.
 *
 * @param name unique within its endpoint (default derived: {@code openai-1}, {@code anthropic-2})
 * @param apiKey the provider key, already {@code ${ENV}}-expanded; never printed unmasked
 * @param priority lower is tried first; equal priorities keep file order
 * @param baseUrl http or https, without trailing slash
 * @param timeout bounds one whole attempt (connect, headers and full body)
 * @param maxRetries extra attempts on this provider after the first, for retryable failures
 * @param streamIdleTimeout longest silence between two stream events before the stream is broken
 * @param weight share of the load among providers of the same priority (default 1)
 * @param models the model names it serves and its IDs for them ({@link ModelMap#ANY}: every name)
 * @param auth how the key is sent; null for the default of the API it speaks ({@link RouterConfig}
 *     fills it in)
 * @param headers sent with every request to it, replacing a client header of the same name
 * @param api the API it speaks; null for its endpoint's ({@link RouterConfig} fills it in). A
 *     provider of the other API is reached through translation
 * @param maxTokens for a provider of the other API (reached by translation), what a translated
 *     request asks of it when the client set no limit (Anthropic requires one), and for an
 *     OpenAI-API one the most it asks; 0 when the config sets none: the client's limit as it is,
 *     else 4096 ({@link #DEFAULT_MAX_TOKENS})
 * @param retryOnTimeout whether an attempt that timed out after its request was sent is retried on
 *     this provider; by default it is not: the provider may still be generating, and bills for it
 */
public record ProviderConfig(
    String name,
    String apiKey,
    int priority,
    URI baseUrl,
    Duration timeout,
    int maxRetries,
    Duration streamIdleTimeout,
    int weight,
    ModelMap models,
    Auth auth,
    List<ProviderHeader> headers,
    Family api,
    int maxTokens,
    boolean retryOnTimeout) {

  public static final int DEFAULT_PRIORITY = 1;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_RETRIES = 1;
  public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_WEIGHT = 1;
  public static final int DEFAULT_MAX_TOKENS = 4096;
  public static final int MAX_RETRIES_LIMIT = 10;
  public static final int MAX_WEIGHT = 1000;

  public ProviderConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(streamIdleTimeout, "streamIdleTimeout");
    // The same ranges ConfigLoader checks, for configs built in code.
    Objects.requireNonNull(models, "models");
    headers = List.copyOf(headers);
    require(!name.isEmpty(), "name must not be empty");
    if (auth == Auth.NONE) {
      require(apiKey == null, "a provider with auth none takes no apiKey");
    } else {
      require(apiKey != null && !apiKey.isBlank(), "apiKey must not be empty");
    }
    require(
        "http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()),
        "baseUrl must be http or https");
    require(baseUrl.getHost() != null, "baseUrl must name a host (http://host:port/...)");
    // As ConfigLoader refuses them for a file: the router appends its paths to base_url as text,
    // so a query would swallow them, and a key in the URL would travel where headers are redacted.
    require(
        baseUrl.getRawQuery() == null && baseUrl.getRawFragment() == null,
        "baseUrl must not have a query or fragment");
    require(baseUrl.getRawUserInfo() == null, "baseUrl must not contain user info");
    baseUrl = withoutTrailingSlashes(baseUrl); // "http://host:11434/v1/" as Ollama's docs show it
    require(
        apiKey == null || apiKey.chars().allMatch(c -> c > ' ' && c <= '~'),
        "apiKey must be ASCII without white space or control characters (the JDK client refuses"
            + " to send anything else in a header)");
    require(timeout.isPositive() && streamIdleTimeout.isPositive(), "timeouts must be positive");
    require(maxRetries >= 0 && maxRetries <= MAX_RETRIES_LIMIT, "maxRetries must be 0..10");
    require(weight >= 1 && weight <= MAX_WEIGHT, "weight must be 1..1000");
    require(maxTokens >= 0, "maxTokens must be at least 1, or 0 for none");
  }

  /** A provider that does not retry a timed-out attempt (the default). */
  public ProviderConfig(
      String name,
      String apiKey,
      int priority,
      URI baseUrl,
      Duration timeout,
      int maxRetries,
      Duration streamIdleTimeout,
      int weight,
      ModelMap models,
      Auth auth,
      List<ProviderHeader> headers,
      Family api,
      int maxTokens) {
    this(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        auth,
        headers,
        api,
        maxTokens,
        false);
  }

  /** A provider as configs without models, auth or headers describe it. */
  public ProviderConfig(
      String name,
      String apiKey,
      int priority,
      URI baseUrl,
      Duration timeout,
      int maxRetries,
      Duration streamIdleTimeout,
      int weight) {
    this(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        ModelMap.ANY,
        null,
        List.of(),
        null,
        0);
  }

  private static URI withoutTrailingSlashes(URI uri) {
    String s = uri.toString();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return end == s.length() ? uri : URI.create(s.substring(0, end));
  }

  private static void require(boolean ok, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("provider config: " + problem);
    }
  }

  /**
   * A provider with every optional setting at its default, for configs built in code: priority
   * {@value #DEFAULT_PRIORITY}, timeout 60 s, {@value #DEFAULT_MAX_RETRIES} retry, stream idle
   * timeout 60 s, weight {@value #DEFAULT_WEIGHT}.
   */
  public static ProviderConfig of(String name, String apiKey, URI baseUrl) {
    return new ProviderConfig(
        name,
        apiKey,
        DEFAULT_PRIORITY,
        baseUrl,
        DEFAULT_TIMEOUT,
        DEFAULT_MAX_RETRIES,
        DEFAULT_STREAM_IDLE_TIMEOUT,
        DEFAULT_WEIGHT);
  }

  /** A copy tried at {@code newPriority} (lower first). */
  public ProviderConfig withPriority(int newPriority) {
    return new ProviderConfig(
        name,
        apiKey,
        newPriority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        auth,
        headers,
        api,
        maxTokens,
        retryOnTimeout);
  }

  /** A copy that serves {@code newModels}. */
  public ProviderConfig withModels(ModelMap newModels) {
    return new ProviderConfig(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        newModels,
        auth,
        headers,
        api,
        maxTokens,
        retryOnTimeout);
  }

  /** A copy that sends its key as {@code newAuth}; {@link Auth#NONE} drops the key. */
  public ProviderConfig withAuth(Auth newAuth) {
    return new ProviderConfig(
        name,
        newAuth == Auth.NONE ? null : apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        newAuth,
        headers,
        api,
        maxTokens,
        retryOnTimeout);
  }

  /** A copy that sends these extra headers. */
  public ProviderConfig withHeaders(List<ProviderHeader> newHeaders) {
    return new ProviderConfig(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        auth,
        newHeaders,
        api,
        maxTokens,
        retryOnTimeout);
  }

  /** A copy that speaks {@code newApi}: a provider of the other API is reached by translation. */
  public ProviderConfig withApi(Family newApi) {
    return new ProviderConfig(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        auth,
        headers,
        newApi,
        maxTokens,
        retryOnTimeout);
  }

  /** A copy that retries attempts that timed out after their request was sent, or does not. */
  public ProviderConfig withRetryOnTimeout(boolean retry) {
    return new ProviderConfig(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        auth,
        headers,
        api,
        maxTokens,
        retry);
  }

  /** A copy with another {@code max_tokens} (0: none set). */
  public ProviderConfig withMaxTokens(int newMaxTokens) {
    return new ProviderConfig(
        name,
        apiKey,
        priority,
        baseUrl,
        timeout,
        maxRetries,
        streamIdleTimeout,
        weight,
        models,
        auth,
        headers,
        api,
        newMaxTokens,
        retryOnTimeout);
  }

  /** Never prints the key: records' generated toString would. */
  @Override
  public String toString() {
    return "ProviderConfig[name=" + name + ", baseUrl=" + baseUrl + ", priority=" + priority + "]";
  }
}
