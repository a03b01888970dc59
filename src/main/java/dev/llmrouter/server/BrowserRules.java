package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What keeps web pages from using a router that is meant for programs on the same machine. A
 * browser lets any page send a "simple" cross-site POST without asking first, and a DNS-rebinding
 * page makes the browser treat the router as its own origin; SDKs and agents, on the other hand,
 * send {@code Host: 127.0.0.1:PORT} and no {@code Origin}. So:
 *
 * <ul>
 *   <li>{@code Host} must name the bind address, {@code localhost}, a loopback address or one of
 *       {@code server.allowed_hosts}: a rebinding page's requests carry its own host name. With a
 *       non-loopback bind and no allowed hosts, any name is accepted (the gateway keys guard it).
 *   <li>{@code Origin}, which browsers send on every cross-site request, must be one of {@code
 *       server.allowed_origins}. Allowed origins get the CORS answers a browser app needs.
 * </ul>
 *
 * Immutable; one per config snapshot.
 */
final class BrowserRules {

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");
  private static final Set<String> LOOPBACK_NAMES =
      Set.of("localhost", "[::1]", "[0:0:0:0:0:0:0:1]");

  /** Sent on every answer to an allowed origin: SDKs read these headers, so a page may too. */
  private static final String EXPOSED = "*";

  private final String bindHost;
  private final boolean checkHost;
  private final List<String> allowedHosts;
  private final List<String> allowedOrigins;
  private final boolean anyOrigin;

  /**
   * @param bindHost the configured bind address
   * @param loopbackBind whether the server listens on a loopback address only
   */
  BrowserRules(
      String bindHost,
      boolean loopbackBind,
      List<String> allowedHosts,
      List<String> allowedOrigins) {
    this.bindHost = hostPart(bindHost.contains(":") ? "[" + bindHost + "]" : bindHost);
    this.checkHost = loopbackBind || !allowedHosts.isEmpty();
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    this.allowedOrigins = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.anyOrigin = allowedOrigins.contains("*");
  }

  /** Whether a request with this {@code Host} value may be served; null (HTTP/1.0) may. */
  boolean hostAllowed(String host) {
    if (host == null || !checkHost) {
      return true;
    }
    String name = hostPart(host);
    return name.equals(bindHost)
        || LOOPBACK_NAMES.contains(name)
        || IPV4_LOOPBACK.matcher(name).matches()
        || allowedHosts.contains(name);
  }

  /** What an {@code Origin} header means here. */
  enum Origin {
    /** No {@code Origin}: not a cross-site browser request. */
    NONE,
    /** A browser page the config allows: served, with CORS headers. */
    ALLOWED,
    /** Any other page: refused. */
    REFUSED
  }

  Origin origin(String origin) {
    if (origin == null) {
      return Origin.NONE;
    }
    String o = origin.strip().toLowerCase(Locale.ROOT);
    if (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    return anyOrigin || allowedOrigins.contains(o) ? Origin.ALLOWED : Origin.REFUSED;
  }

  /**
   * A browser's request made for a page of another site without an {@code Origin} (an image or a
   * script tag, a link, a form's GET: "no-cors" requests), which browsers mark with {@code
   * Sec-Fetch-Site}. Such a request cannot read the answer, but it would still reach a provider (a
   * GET of the model lists does) on the router's keys.
   */
  static boolean fromAnotherSite(Headers request) {
    String site = request.getFirst("Sec-Fetch-Site");
    return site != null
        && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"));
  }

  /** The headers every answer to an allowed origin carries. */
  static void allowOrigin(Headers response, String origin) {
    response.set("Access-Control-Allow-Origin", origin.strip());
    response.set("Access-Control-Expose-Headers", EXPOSED);
    response.add("Vary", "Origin");
  }

  /**
   * A CORS preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) from an allowed
   * origin: what the real request may use. The headers asked for are granted as asked, since the
   * gateway key still decides.
   */
  static void preflight(Headers request, Headers response) {
    // DELETE: the Responses API's DELETE /responses/{id}; HEAD: the model lists.
    response.set("Access-Control-Allow-Methods", "GET, HEAD, POST, DELETE, OPTIONS");
    String asked = request.getFirst("Access-Control-Request-Headers");
    if (asked != null && asked.matches("[A-Za-z0-9!#$%&'*+.^_`|~, -]{1,1000}")) {
      response.set("Access-Control-Allow-Headers", asked);
    }
    response.set("Access-Control-Max-Age", "600");
    response.add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
  }

  /** {@code Host} without its port, lower case, without a trailing dot. */
  private static String hostPart(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    int end;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      end = close < 0 ? h.length() : close + 1;
    } else {
      int colon = h.indexOf(':');
      end = colon < 0 || h.indexOf(':', colon + 1) >= 0 ? h.length() : colon;
    }
    h = h.substring(0, end);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
