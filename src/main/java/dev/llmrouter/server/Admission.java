package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.json.Json;
import dev.llmrouter.logging.Redactor;
import dev.llmrouter.wire.Api;
import dev.llmrouter.wire.ErrorKind;
import java.util.List;
import java.util.Locale;

/**
 * What a request must pass before it may take an in-flight slot, all without reading its body:
 * sound framing, a target the upstream can get byte for byte, one acceptable {@code Host}, no
 * foreign {@code Origin}, a known path and method, and a declared body within the limit. Each check
 * gives the {@link Refusal} to answer, or null.
 */
final class Admission {

  private Admission() {}

  /** Why a request is answered by the router at once, before its body is read. */
  record Refusal(ErrorKind kind, String message) {}

  /**
   * What the JDK server lets through although HTTP/1.1 forbids it: a version other than HTTP/1.x
   * (it serves {@code GET /health FOO/9} as HTTP/1.1) and a Content-Length that is not only digits
   * (it reads {@code +5} with {@code Long.parseLong}). Null when the framing is sound.
   */
  static Refusal malformedFraming(HttpExchange exchange) {
    String version = exchange.getProtocol();
    if (version.length() != 8 || !version.startsWith("HTTP/1.") || !isDigit(version.charAt(7))) {
      return new Refusal(
          ErrorKind.INVALID_REQUEST, "Unsupported HTTP version; this server speaks HTTP/1.1.");
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null && (length.isEmpty() || !length.chars().allMatch(Admission::isDigit))) {
      return new Refusal(
          ErrorKind.INVALID_REQUEST, "The Content-Length header must be a decimal number.");
    }
    java.net.URI uri = exchange.getRequestURI();
    if (!isOriginOrOwnAbsoluteForm(uri, exchange.getRequestHeaders().getFirst("Host"))) {
      // The JDK would route "//other/openai/..." or "http://other/openai/..." by its path alone,
      // past a front proxy's rules by path prefix, and with an authority no Host rule saw.
      return new Refusal(
          ErrorKind.INVALID_REQUEST,
          "The request target must be a path such as /openai/chat/completions (or an http URL of"
              + " this server's own Host), without a fragment.");
    }
    String target = uri.getRawPath();
    String query = uri.getRawQuery();
    if (!isUriText(target) || (query != null && !isUriText(query))) {
      // The JDK reads the request line as ISO-8859-1 and passes raw bytes such as FF FE on as
      // characters, which the upstream client would re-encode as UTF-8: forwarding them "byte for
      // byte" is impossible, so such a target is refused (RFC 3986 allows none of them).
      return new Refusal(
          ErrorKind.INVALID_REQUEST,
          "The request target has characters outside RFC 3986; percent-encode them.");
    }
    if (version.equals("HTTP/1.1") && !exchange.getRequestHeaders().containsKey("Host")) {
      // RFC 9112 3.2: an HTTP/1.1 request without Host is malformed.
      return new Refusal(
          ErrorKind.INVALID_REQUEST, "An HTTP/1.1 request must carry a Host header.");
    }
    return null;
  }

  /**
   * A path (origin-form, RFC 9112 3.2.1), or an absolute URL whose authority is the request's Host
   * (absolute-form, which a server must accept, 3.2.2): then routed by its path, and the Host rules
   * apply to it as to the header. Never a fragment, nor a path that starts with {@code //}.
   */
  private static boolean isOriginOrOwnAbsoluteForm(java.net.URI uri, String host) {
    String path = uri.getRawPath();
    if (uri.getRawFragment() != null || path == null || !path.startsWith("/")) {
      return false;
    }
    if (uri.getScheme() == null) {
      return uri.getRawAuthority() == null;
    }
    return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
        && uri.getRawAuthority() != null
        && host != null
        && uri.getRawAuthority().equalsIgnoreCase(host.strip());
  }

  /**
   * Whether every character is one RFC 3986 allows in a path or query: unreserved, sub-delims, ":",
   * "@", "/", "?" and percent escapes (not checked further: they are forwarded as they are).
   */
  private static boolean isUriText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:@/?%".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** DNS-rebinding and cross-site protection (see {@link BrowserRules}). */
  static Refusal browserRefusal(Headers request, BrowserRules browser, boolean api) {
    List<String> hosts = request.get("Host");
    if (hosts != null && hosts.size() > 1) {
      // RFC 9112 3.2: a second Host could slip a name past the allow-list below.
      return new Refusal(
          ErrorKind.INVALID_REQUEST, "A request must carry exactly one Host header.");
    }
    if (!browser.hostAllowed(hosts == null ? null : hosts.get(0))) {
      return new Refusal(
          ErrorKind.FORBIDDEN,
          "The Host header names a host this router does not serve; add it to"
              + " server.allowed_hosts if it is yours.");
    }
    String origin = request.getFirst("Origin");
    if (browser.origin(origin) == BrowserRules.Origin.REFUSED
        || (api && origin == null && BrowserRules.fromAnotherSite(request))) {
      return new Refusal(
          ErrorKind.FORBIDDEN,
          "Requests from web pages are refused unless their origin is in"
              + " server.allowed_origins.");
    }
    return null;
  }

  /** Unknown path, wrong method, or a declared body over the limit. */
  static Refusal routeRefusal(
      HttpExchange exchange, String path, Route route, RouterConfig config, Redactor redactor) {
    if (route == null) {
      return new Refusal(ErrorKind.NOT_FOUND, notFoundMessage(path, redactor));
    }
    String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
    if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
      // Codex CLI with its built-in provider first tries the Responses API over a WebSocket, and
      // goes to HTTP at once on a 426; a 405 had it try again for about 7 s (openai/codex 10824).
      return new Refusal(
          ErrorKind.UPGRADE_REQUIRED, "WebSocket is not served here: send the request over HTTP.");
    }
    String method = exchange.getRequestMethod();
    if (!route.allows(method)) {
      exchange.getResponseHeaders().set("Allow", route.allowHeader());
      return new Refusal(
          ErrorKind.METHOD_NOT_ALLOWED,
          "Method " + safe(method) + " is not allowed here; use " + route.allowHeader() + ".");
    }
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long limit = config.server().maxBodyBytes();
    if (route.api != null
        && length != null
        && (length.length() > 18 || Long.parseLong(length) > limit)) {
      return new Refusal(
          ErrorKind.REQUEST_TOO_LARGE,
          "The request body exceeds the limit of " + limit + " bytes.");
    }
    return null;
  }

  private static String notFoundMessage(String path, Redactor redactor) {
    String hint =
        path.startsWith("/anthropic/v1/v1/")
            ? " The Anthropic SDK adds /v1 itself: set its base URL to http://host:port/anthropic."
                + routes(Api.ANTHROPIC)
            : switch (Route.apiForPath(path)) {
              case OPENAI -> routes(Api.OPENAI);
              case ANTHROPIC -> routes(Api.ANTHROPIC);
              case null -> routes(Api.OPENAI) + routes(Api.ANTHROPIC) + " See /docs.";
            };
    return "No route for " + redactor.shown(path) + "." + hint;
  }

  private static String routes(Api api) {
    return " The "
        + (api == Api.OPENAI ? "OpenAI" : "Anthropic")
        + " routes are: "
        + String.join(", ", Route.documented(api))
        + ".";
  }

  /** Paths are echoed in messages; cap their length so a 70 KB URL is not echoed whole. */
  private static String safe(String value) {
    return value.length() > 200 ? Json.cut(value, 200) + "..." : value;
  }
}
