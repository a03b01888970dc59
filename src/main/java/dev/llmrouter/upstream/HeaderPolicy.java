package dev.llmrouter.upstream;

import dev.llmrouter.config.Auth;
import dev.llmrouter.config.ProviderHeader;
import dev.llmrouter.wire.Api;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one home of header filtering, in both directions. Hop-by-hop headers (RFC 9110 7.6.1) never
 * cross the router; credentials never go upstream except the provider's own key, which {@link Api}
 * adds.
 */
public final class HeaderPolicy {

  /** RFC 9110 7.6.1 connection-specific fields, plus legacy Proxy-Connection. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  /**
   * Request headers the router sets itself or that must not reach a provider: framing (the JDK
   * client computes it, and refuses some of these outright), the client's credentials (the
   * provider's key replaces them), cookies, and OpenAI organisation/project ids, which belong to
   * the client's key and would make the provider reject ours.
   */
  private static final Set<String> NOT_TO_UPSTREAM =
      Set.of(
          "host",
          "content-length",
          "expect",
          "authorization",
          "x-api-key",
          "api-key", // Azure OpenAI's key header: a client's would leak to every provider
          "accept-encoding",
          "cookie",
          "openai-organization",
          "openai-project");

  /**
   * Response headers the client must not receive from the upstream: framing and date (our server
   * writes its own), the coding (the router always passes on a decoded body, see ContentCoding),
   * and everything that would change the client's security context if a browser read it from the
   * router's origin: cookies of the provider's edge (e.g. Cloudflare's __cf_bm), CORS grants (an
   * upstream's {@code Access-Control-Allow-Origin: *} would open the router to every web page),
   * HSTS, CSP and {@code Refresh}; {@code Clear-Site-Data} (it would wipe the router origin's
   * storage), the reporting headers ({@code NEL}, {@code Report-To}, {@code Reporting-Endpoints}: a
   * browser would post reports about router URLs to the provider), {@code Alt-Svc} (Cloudflare
   * sends it: it would send the browser to another port of the router's host) and the policies that
   * isolate a page ({@code Permissions-Policy}, {@code Cross-Origin-*}).
   */
  private static final Set<String> NOT_TO_CLIENT =
      Set.of(
          "content-length",
          "content-encoding",
          "date",
          "server",
          "set-cookie",
          "set-cookie2",
          "refresh",
          "strict-transport-security",
          "content-security-policy",
          "content-security-policy-report-only",
          "clear-site-data",
          "nel",
          "report-to",
          "reporting-endpoints",
          "alt-svc",
          "permissions-policy",
          "x-should-retry");

  /**
   * Name prefixes never passed to the client: CORS grants, the cross-origin isolation policies, and
   * the router's own headers.
   */
  private static final List<String> NOT_TO_CLIENT_PREFIXES =
      List.of("access-control-", "cross-origin-", "x-router-");

  private HeaderPolicy() {}

  /** One header line to send. */
  public record Header(String name, String value) {}

  /** The client's headers that may go to a provider, names lower-cased. */
  public static List<Header> toUpstream(Map<String, List<String>> clientHeaders) {
    return toUpstream(clientHeaders, value -> false);
  }

  /**
   * The same, without any header whose value holds one of the client's own credentials ({@code
   * holdsCredential}): a gateway key sent as {@code api-key}, {@code x-goog-api-key} or any other
   * header is no more the provider's business than one sent as {@code Authorization}.
   */
  public static List<Header> toUpstream(
      Map<String, List<String>> clientHeaders, Predicate<String> holdsCredential) {
    return toUpstream(clientHeaders, holdsCredential, holdsCredential);
  }

  /**
   * The same, with its own test for a credential in a header's name (case-insensitive, as names
   * are: see {@code Redactor.namesASecret}).
   */
  public static List<Header> toUpstream(
      Map<String, List<String>> clientHeaders,
      Predicate<String> holdsCredential,
      Predicate<String> nameHoldsCredential) {
    Set<String> namedByConnection = connectionTokens(clientHeaders);
    List<Header> out = new ArrayList<>(clientHeaders.size());
    for (Map.Entry<String, List<String>> e : clientHeaders.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      // A name that is no HTTP token ("X-Trace(id)", or "" for a line without a colon, both of
      // which the JDK server lets through) is dropped, as nginx does by default
      // (ignore_invalid_headers): the JDK client refuses to send it, and throws.
      if (!ProviderHeader.isToken(name)
          || nameHoldsCredential.test(e.getKey()) // a client's key as a header's name
          || HOP_BY_HOP.contains(name)
          || NOT_TO_UPSTREAM.contains(name)
          || namedByConnection.contains(name)
          || name.startsWith("x-router-")) {
        continue;
      }
      for (String value : e.getValue()) {
        if (!holdsCredential.test(value)) {
          out.add(new Header(name, value));
        }
      }
    }
    return out;
  }

  /**
   * The headers for one provider: its configured ones ({@code headers}) replace the client's of the
   * same name, whatever their case. The same list when it has none.
   */
  public static List<Header> withProviderHeaders(
      List<Header> clientHeaders, List<ProviderHeader> configured) {
    if (configured.isEmpty()) {
      return clientHeaders;
    }
    Set<String> replaced = new HashSet<>();
    for (ProviderHeader h : configured) {
      replaced.add(h.name().toLowerCase(Locale.ROOT));
    }
    List<Header> out = new ArrayList<>(clientHeaders.size() + configured.size());
    for (Header h : clientHeaders) {
      if (!replaced.contains(h.name())) {
        out.add(h);
      }
    }
    for (ProviderHeader h : configured) {
      out.add(new Header(h.name(), h.value()));
    }
    return out;
  }

  /**
   * The client's headers for a provider of the other API: without the client API's own headers
   * ({@code anthropic-version}, {@code anthropic-beta}; {@code openai-beta}), which mean nothing
   * there or something else, and with {@code Content-Type: application/json} in place of the
   * client's: the body is the router's own JSON (both APIs ask for that type, PROTOCOLS.md 1.1 and
   * 2.1), whatever the client sent with its own, or without one.
   */
  public static List<Header> forOtherApi(List<Header> clientHeaders, Api provider) {
    String foreign = provider == Api.OPENAI ? "anthropic-" : "openai-";
    List<Header> out = new ArrayList<>(clientHeaders.size() + 1);
    for (Header h : clientHeaders) {
      if (!h.name().startsWith(foreign) && !h.name().equals("content-type")) {
        out.add(h);
      }
    }
    out.add(new Header("content-type", "application/json"));
    return out;
  }

  /** The header that carries a provider's key, as its {@code auth} says; null for none. */
  public static Header credential(Auth auth, String apiKey) {
    return switch (auth) {
      case BEARER -> new Header("Authorization", "Bearer " + apiKey);
      case X_API_KEY -> new Header("x-api-key", apiKey);
      case API_KEY -> new Header("api-key", apiKey);
      case NONE -> null;
    };
  }

  /**
   * The client's query string without the parameters that hold one of its credentials: a gateway
   * key anywhere (its value or, misused, its name), and any value of a parameter named as keys are
   * in a query ({@code key}, as Gemini's; {@code api_key}, {@code api-key}, {@code apikey}): the
   * client's credential stays with the router, as its {@code Authorization} header does. Byte for
   * byte otherwise; null when nothing is left.
   */
  public static String queryToUpstream(String rawQuery, Predicate<String> holdsCredential) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return rawQuery;
    }
    StringBuilder kept = new StringBuilder(rawQuery.length());
    for (String param : rawQuery.split("&", -1)) {
      if (holdsCredential.test(param) || namesAKey(param)) {
        continue;
      }
      if (!kept.isEmpty()) {
        kept.append('&');
      }
      kept.append(param);
    }
    return kept.isEmpty() ? null : kept.toString();
  }

  private static boolean namesAKey(String param) {
    int eq = param.indexOf('=');
    String name = eq < 0 ? param : param.substring(0, eq);
    // As the upstream reads it: percent-escapes decoded (api%5Fkey is api_key), any case.
    String decoded = percentDecoded(name);
    return switch ((decoded == null ? name : decoded).toLowerCase(Locale.ROOT)) {
      case "key", "api_key", "api-key", "apikey" -> true;
      default -> false;
    };
  }

  /**
   * A path segment's or a query parameter's text: {@code %XX} escapes as UTF-8 bytes ({@code +}
   * stays a plus, unlike in a query); null when an escape is malformed.
   */
  public static String percentDecoded(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        out.write(c); // the target was checked to be ASCII (Admission)
        continue;
      }
      if (i + 2 >= raw.length()) {
        return null;
      }
      int hi = Character.digit(raw.charAt(i + 1), 16);
      int lo = Character.digit(raw.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out.write(hi * 16 + lo);
      i += 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The JDK server passes header values through unchecked, but its HTTP client refuses to send a
   * value with a control character (NUL, CR, DEL... anything but HTAB below 0x20) and throws. Such
   * a header is the client's error: its name, for a 400, instead of a failure inside the upstream
   * call; null when every value can be sent.
   */
  public static String firstUnsendable(List<Header> headers) {
    for (Header h : headers) {
      for (int i = 0; i < h.value().length(); i++) {
        char c = h.value().charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
          return h.name();
        }
      }
    }
    return null;
  }

  /**
   * A value the router echoes in a header of its own ({@code x-router-model}), or null when it
   * cannot be one: a client chooses the model names a provider without {@code models} passes on,
   * and a name with a control character or 100 KB of text must not reach a header.
   */
  public static String displayValue(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_DISPLAY_VALUE) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        return null;
      }
    }
    return value;
  }

  private static final int MAX_DISPLAY_VALUE = 256;

  /**
   * The upstream's response headers that may go to the client with a response of {@code status}.
   * Values are not yet scanned for secrets: the caller redacts them.
   */
  public static List<Header> toClient(HttpHeaders upstreamHeaders, int status) {
    return toClient(upstreamHeaders, status, Set.of());
  }

  /**
   * The same for a relayed stream: its content type and caching are the router's to set ({@code
   * text/event-stream}, {@code no-cache}), not the upstream's.
   */
  public static List<Header> toClientStream(HttpHeaders upstreamHeaders, int status) {
    return toClient(upstreamHeaders, status, STREAM_OWN);
  }

  private static final Set<String> STREAM_OWN = Set.of("content-type", "cache-control");

  private static List<Header> toClient(
      HttpHeaders upstreamHeaders, int status, Set<String> alsoDropped) {
    Map<String, List<String>> map = upstreamHeaders.map();
    Set<String> namedByConnection = connectionTokens(map);
    List<Header> out = new ArrayList<>(map.size());
    for (Map.Entry<String, List<String>> e : map.entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith(":") // HTTP/2 pseudo-headers
          || HOP_BY_HOP.contains(name)
          || NOT_TO_CLIENT.contains(name)
          || alsoDropped.contains(name)
          || namedByConnection.contains(name)
          || hasPrefix(name, NOT_TO_CLIENT_PREFIXES)
          // A Location means something only on a redirect; elsewhere it is a page's to misuse.
          || (name.equals("location") && (status < 300 || status > 399))) {
        continue;
      }
      for (String value : e.getValue()) {
        out.add(new Header(name, value));
      }
    }
    return RelayedHeaderCap.bound(out);
  }

  private static boolean hasPrefix(String name, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** Headers named inside {@code Connection:} are hop-by-hop too. */
  private static Set<String> connectionTokens(Map<String, List<String>> headers) {
    Set<String> tokens = new HashSet<>();
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase("connection")) {
        for (String value : e.getValue()) {
          int start = 0;
          while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String token = value.substring(start, end).trim().toLowerCase(Locale.ROOT);
            if (!token.isEmpty()) {
              tokens.add(token);
            }
            start = end + 1;
          }
        }
      }
    }
    return tokens;
  }
}
