package dev.llmrouter.upstream;

import dev.llmrouter.config.Auth;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.Operation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The HTTP requests the router sends a provider: what goes on the wire beyond the body. */
final class UpstreamRequests {

  private UpstreamRequests() {}

  /**
   * One attempt's POST: the client's body (its model rewritten when needed) or, for a provider of
   * the other API, the translated body; null when the rewritten body does not fit the memory
   * budget.
   */
  static HttpRequest post(Outgoing out, OutboundRequest request, Duration timeout) {
    ProviderConfig provider = out.provider();
    Api speaks = out.speaks(request.api());
    boolean translated = speaks != request.api();
    byte[] body = translated ? out.translatedBody() : request.bodyFor(out.model());
    if (body == null) {
      return null;
    }
    // A translated request drops the client's query and its API's own headers: they belong to the
    // other API (Claude Code's ?beta=true, anthropic-beta).
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                uri(
                    request.operation().servedBy(speaks),
                    provider.baseUrl(),
                    translated ? null : request.rawQuery()))
            .timeout(timeout)
            .POST(new SentBody(body));
    List<HeaderPolicy.Header> client =
        translated ? HeaderPolicy.forOtherApi(request.headers(), speaks) : request.headers();
    return headers(b, provider, speaks, client).build();
  }

  /**
   * Each operation's URI on each base URL, without a query: parsing one cost about 1 % of a chat
   * request's CPU (JFR), and a provider's is the same every time. Bounded: past {@value
   * #MAX_KNOWN_URIS} base URLs (reloads that keep changing them), each is made afresh.
   */
  private static final Map<Operation, Map<URI, URI>> KNOWN_URIS = new EnumMap<>(Operation.class);

  private static final int MAX_KNOWN_URIS = 256;

  static {
    for (Operation o : Operation.values()) {
      KNOWN_URIS.put(o, new ConcurrentHashMap<>());
    }
  }

  private static URI uri(Operation operation, URI baseUrl, String rawQuery) {
    if (rawQuery != null && !rawQuery.isEmpty()) {
      return operation.upstreamUri(baseUrl, rawQuery);
    }
    Map<URI, URI> known = KNOWN_URIS.get(operation);
    URI uri = known.get(baseUrl);
    if (uri == null) {
      uri = operation.upstreamUri(baseUrl, null);
      if (known.size() < MAX_KNOWN_URIS) {
        known.put(baseUrl, uri);
      }
    }
    return uri;
  }

  /**
   * A request about a stored Responses API response ({@code /responses/<id>...}): the client's
   * method, path under the base URL, query, headers and body (null for none).
   */
  static HttpRequest storedResponse(
      ProviderConfig provider,
      String method,
      String pathAndQuery,
      List<HeaderPolicy.Header> client,
      byte[] body,
      Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(provider.baseUrl() + pathAndQuery))
            .timeout(timeout)
            .method(
                method,
                body == null || body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    return headers(b, provider, Api.OPENAI, client).build();
  }

  /**
   * A GET of the provider's own model list ({@link Api#modelsUri}), or of one model's entry when
   * {@code segment} (its id as a path segment) is not null ({@link Api#modelUri}).
   */
  static HttpRequest modelList(ProviderConfig provider, Api api, String segment, Duration timeout) {
    URI uri =
        segment == null
            ? api.modelsUri(provider.baseUrl())
            : api.modelUri(provider.baseUrl(), segment);
    return headers(
            HttpRequest.newBuilder(uri).timeout(timeout).GET(),
            provider,
            api,
            List.of(new HeaderPolicy.Header("accept", "application/json")))
        .build();
  }

  /**
   * What every request to a provider carries besides the client's headers: the provider's own
   * headers (replacing the client's of the same name), an {@code anthropic-version} unless one is
   * there, the identity coding and the provider's credential.
   */
  private static HttpRequest.Builder headers(
      HttpRequest.Builder b, ProviderConfig provider, Api api, List<HeaderPolicy.Header> client) {
    if ("http".equals(provider.baseUrl().getScheme())) {
      // The default HTTP/2 would send "Upgrade: h2c", which uvicorn-based servers (vLLM...) answer
      // by dropping the POST body.
      b.version(HttpClient.Version.HTTP_1_1);
    }
    boolean hasAnthropicVersion = false;
    for (HeaderPolicy.Header h : HeaderPolicy.withProviderHeaders(client, provider.headers())) {
      b.header(h.name(), h.value());
      hasAnthropicVersion |= h.name().equalsIgnoreCase("anthropic-version");
    }
    if (api == Api.ANTHROPIC && !hasAnthropicVersion) {
      b.header("anthropic-version", Api.DEFAULT_ANTHROPIC_VERSION);
    }
    // Identity, so the router can read usage and errors and never relays a mislabelled body.
    b.header("Accept-Encoding", "identity");
    HeaderPolicy.Header credential =
        HeaderPolicy.credential(
            provider.auth() == null ? Auth.standardFor(api.family()) : provider.auth(),
            provider.apiKey());
    if (credential != null) {
      b.header(credential.name(), credential.value());
    }
    return b;
  }
}
