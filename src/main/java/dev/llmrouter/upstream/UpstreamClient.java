package dev.llmrouter.upstream;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The router's one {@link HttpClient}, shared by every request and provider (each client owns a
 * selector thread and a connection pool). Makes single attempts; it never retries by itself.
 */
public final class UpstreamClient implements AutoCloseable {

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;

  public UpstreamClient() {
    this.http =
        HttpClient.newBuilder()
            // Redirects are never followed: a provider must not be able to send our key elsewhere.
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(MAX_CONNECT_TIMEOUT)
            .build();
  }

  /**
   * One attempt: sends the request and reads the whole response within {@code timeout}, which
   * bounds connect, headers and body together (the JDK's request timeout stops at the headers).
   */
  public UpstreamOutcome send(ProviderConfig provider, OutboundRequest request, Duration timeout) {
    HttpRequest httpRequest = build(provider, request, timeout);
    CompletableFuture<HttpResponse<byte[]>> future =
        http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Completed(response.statusCode(), response.headers(), response.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Failed(
          FailureType.TIMEOUT, "no complete response within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      return failure(e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return new Failed(FailureType.BROKEN, "interrupted");
    }
  }

  private static HttpRequest build(
      ProviderConfig provider, OutboundRequest request, Duration timeout) {
    Api api = request.api();
    HttpRequest.Builder b =
        HttpRequest.newBuilder(api.upstreamUri(provider.baseUrl(), request.rawQuery()))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if ("http".equals(provider.baseUrl().getScheme())) {
      // The default HTTP/2 would send "Upgrade: h2c", which uvicorn-based servers (vLLM...) answer
      // by dropping the POST body.
      b.version(HttpClient.Version.HTTP_1_1);
    }
    boolean hasAnthropicVersion = false;
    for (HeaderPolicy.Header h : request.headers()) {
      b.header(h.name(), h.value());
      hasAnthropicVersion |= h.name().equals("anthropic-version");
    }
    if (api == Api.ANTHROPIC && !hasAnthropicVersion) {
      b.header("anthropic-version", Api.DEFAULT_ANTHROPIC_VERSION);
    }
    // Identity, so the router can read usage and errors and never relays a mislabelled body.
    b.header("Accept-Encoding", "identity");
    api.authorize(b, provider.apiKey());
    return b.build();
  }

  /** Maps a transport exception to what it means for a retry; messages name no key or URL. */
  static Failed failure(Throwable t) {
    if (t instanceof HttpConnectTimeoutException) {
      return new Failed(FailureType.CONNECT, "connect timeout");
    }
    if (t instanceof HttpTimeoutException) {
      return new Failed(FailureType.TIMEOUT, "timeout waiting for response headers");
    }
    if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
      Throwable cause = t.getCause();
      if (cause instanceof UnresolvedAddressException || t instanceof UnresolvedAddressException) {
        return new Failed(FailureType.CONNECT, "host not found");
      }
      return new Failed(FailureType.CONNECT, "connection refused");
    }
    if (t instanceof SSLException) {
      return new Failed(FailureType.CONNECT, "TLS failure: " + t.getClass().getSimpleName());
    }
    if (t instanceof IOException) {
      return new Failed(FailureType.BROKEN, "connection broken: " + t.getClass().getSimpleName());
    }
    return new Failed(FailureType.BROKEN, "request failed: " + t.getClass().getSimpleName());
  }

  @Override
  public void close() {
    http.close();
  }
}
