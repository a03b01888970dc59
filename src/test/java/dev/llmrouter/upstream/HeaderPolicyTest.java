package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderPolicyTest {

  @Test
  void neverForwardsHopByHopCredentialsOrFraming() {
    Map<String, List<String>> client = new LinkedHashMap<>();
    client.put("Connection", List.of("keep-alive, X-Custom-Hop"));
    client.put("X-custom-hop", List.of("1"));
    client.put("Keep-alive", List.of("timeout=5"));
    client.put("Transfer-encoding", List.of("chunked"));
    client.put("Upgrade", List.of("h2c"));
    client.put("Te", List.of("trailers"));
    client.put("Proxy-authorization", List.of("Basic x"));
    client.put("Authorization", List.of("Bearer client-key"));
    client.put("X-api-key", List.of("client-key"));
    client.put("Host", List.of("localhost"));
    client.put("Content-length", List.of("10"));
    client.put("Accept-encoding", List.of("gzip"));
    client.put("Openai-organization", List.of("org-x"));
    client.put("Content-type", List.of("application/json"));
    client.put("Anthropic-version", List.of("2026-10-21"));
    client.put("Anthropic-beta", List.of("a,b"));
    client.put("X-stainless-retry-count", List.of("0"));
    // No HTTP tokens, which the JDK client would refuse to send (an older JDK server passes them).
    client.put("X-Trace(id)", List.of("1"));
    client.put("", List.of("X-Broken"));
    client.put("X-\u00c4", List.of("1"));

    List<String> names =
        HeaderPolicy.toUpstream(client).stream().map(HeaderPolicy.Header::name).toList();

    assertThat(names)
        .containsExactlyInAnyOrder(
            "content-type", "anthropic-version", "anthropic-beta", "x-stainless-retry-count");
  }

  @Test
  void keepsUpstreamMetadataButNotFramingCookiesOrHopByHop() {
    Map<String, List<String>> upstream = new LinkedHashMap<>();
    upstream.put(":status", List.of("200"));
    upstream.put("content-type", List.of("application/json"));
    upstream.put("content-length", List.of("12"));
    upstream.put("x-request-id", List.of("req_1"));
    upstream.put("x-ratelimit-remaining-requests", List.of("99"));
    upstream.put("set-cookie", List.of("__cf_bm=x"));
    upstream.put("connection", List.of("keep-alive"));
    upstream.put("transfer-encoding", List.of("chunked"));
    upstream.put("x-should-retry", List.of("true"));

    List<String> names =
        HeaderPolicy.toClient(HttpHeaders.of(upstream, (a, b) -> true), 200).stream()
            .map(HeaderPolicy.Header::name)
            .toList();

    assertThat(names)
        .containsExactlyInAnyOrder(
            "content-type", "x-request-id", "x-ratelimit-remaining-requests");
  }

  @Test
  void nothingThatChangesTheClientsSecurityContextPasses() {
    Map<String, List<String>> upstream = new LinkedHashMap<>();
    upstream.put("x-request-id", List.of("req_1"));
    upstream.put("Access-Control-Allow-Origin", List.of("*"));
    upstream.put("access-control-allow-credentials", List.of("true"));
    upstream.put("Set-Cookie2", List.of("a=b"));
    upstream.put("Refresh", List.of("0; url=https://evil.example"));
    upstream.put("Strict-Transport-Security", List.of("max-age=63072000"));
    upstream.put("Content-Security-Policy", List.of("default-src *"));
    upstream.put("X-Router-Provider", List.of("forged"));
    upstream.put("Location", List.of("https://evil.example"));
    upstream.put("Content-Encoding", List.of("gzip"));
    upstream.put("Clear-Site-Data", List.of("\"*\""));
    upstream.put("NEL", List.of("{\"report_to\":\"default\",\"max_age\":31536000}"));
    upstream.put("Report-To", List.of("{\"group\":\"default\"}"));
    upstream.put("Reporting-Endpoints", List.of("default=\"https://collector.example\""));
    upstream.put("Alt-Svc", List.of("h3=\":443\"; ma=86400"));
    upstream.put("Permissions-Policy", List.of("camera=()"));
    upstream.put("Cross-Origin-Opener-Policy", List.of("same-origin"));
    HttpHeaders headers = HttpHeaders.of(upstream, (a, b) -> true);

    List<String> names =
        HeaderPolicy.toClient(headers, 200).stream().map(HeaderPolicy.Header::name).toList();
    List<String> onRedirect =
        HeaderPolicy.toClient(headers, 302).stream().map(HeaderPolicy.Header::name).toList();
    List<String> onStream =
        HeaderPolicy.toClientStream(headers, 200).stream().map(HeaderPolicy.Header::name).toList();

    assertThat(names).containsExactly("x-request-id");
    assertThat(onStream).containsExactly("x-request-id");
    assertThat(onRedirect).containsExactlyInAnyOrder("x-request-id", "location");
  }

  @Test
  void aStreamKeepsUpstreamMetadataButTheRouterOwnsContentTypeAndCaching() {
    Map<String, List<String>> upstream = new LinkedHashMap<>();
    upstream.put("content-type", List.of("text/event-stream; charset=utf-8"));
    upstream.put("cache-control", List.of("no-transform"));
    upstream.put("x-request-id", List.of("req_1"));
    upstream.put("transfer-encoding", List.of("chunked"));

    List<String> names =
        HeaderPolicy.toClientStream(HttpHeaders.of(upstream, (a, b) -> true), 200).stream()
            .map(HeaderPolicy.Header::name)
            .toList();

    assertThat(names).containsExactly("x-request-id");
  }

  @Test
  void theFirstHeaderTheJdkClientWouldRefuseIsNamed() {
    HeaderPolicy.Header ok = new HeaderPolicy.Header("x-ok", "tab\tand latin-1 \u00e9");

    assertThat(HeaderPolicy.firstUnsendable(List.of(ok))).isNull();
    assertThat(
            HeaderPolicy.firstUnsendable(List.of(ok, new HeaderPolicy.Header("x-nul", "a\u0000b"))))
        .isEqualTo("x-nul");
    assertThat(HeaderPolicy.firstUnsendable(List.of(new HeaderPolicy.Header("x-del", "\u007f"))))
        .isEqualTo("x-del");
    assertThat(HeaderPolicy.firstUnsendable(List.of(new HeaderPolicy.Header("x-wide", "\u20ac"))))
        .isEqualTo("x-wide");
  }

  @Test
  void aFloodOfUpstreamHeadersIsCutKeepingWhatClientsReadFirst() {
    Map<String, List<String>> flood = new LinkedHashMap<>();
    for (int i = 0; i < 2000; i++) {
      flood.put(String.format("a-h%04d", i), List.of("v")); // sorted before everything below
    }
    flood.put("content-type", List.of("application/json"));
    flood.put("retry-after", List.of("20"));
    flood.put("x-request-id", List.of("req_1"));
    flood.put("x-ratelimit-remaining-requests", List.of("0"));

    List<HeaderPolicy.Header> out =
        HeaderPolicy.toClient(HttpHeaders.of(flood, (a, b) -> true), 429);

    assertThat(out).hasSize(RelayedHeaderCap.MAX_LINES);
    assertThat(out)
        .extracting(HeaderPolicy.Header::name)
        .contains("content-type", "retry-after", "x-request-id", "x-ratelimit-remaining-requests");
  }

  @Test
  void aHeaderTooLargeForWhatIsLeftIsPassedOverNotTheRest() {
    Map<String, List<String>> large = new LinkedHashMap<>();
    large.put("a-big", List.of("a".repeat(3000), "b".repeat(3000), "c".repeat(3000)));
    large.put("content-type", List.of("application/json"));
    large.put("link", List.of("x".repeat(20_000)));
    large.put("x-small", List.of("s"));

    assertThat(HeaderPolicy.toClient(HttpHeaders.of(large, (a, b) -> true), 200))
        .extracting(HeaderPolicy.Header::value)
        .containsExactly("a".repeat(3000), "b".repeat(3000), "application/json", "s");
  }

  @Test
  void headersWithinTheCapsAreAllKept() {
    Map<String, List<String>> real = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      real.put("x-h" + i, List.of("value " + i));
    }
    assertThat(HeaderPolicy.toClient(HttpHeaders.of(real, (a, b) -> true), 200)).hasSize(40);
  }
}
