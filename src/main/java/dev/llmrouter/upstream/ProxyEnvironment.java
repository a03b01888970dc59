package dev.llmrouter.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The proxy variables of shells and containers ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code
 * NO_PROXY}, lower case first, as curl and Python read them), which the JDK's HTTP client ignores:
 * {@code serve} turns them into the JDK's own proxy properties, which the client's default {@link
 * java.net.ProxySelector} reads for every request. Behind a corporate egress proxy the router then
 * reaches its providers as every other tool on the machine does. A {@code -D} property wins.
 *
 * <p>Loopback is never proxied (the JDK's own default list), so a router in front of a local vLLM
 * or Ollama keeps talking to it directly. Credentials in a proxy URL are not sent (the JDK client
 * offers none on its own for a proxy tunnel), and no message repeats a variable's value: a proxy
 * URL may carry a password.
 */
public final class ProxyEnvironment {

  /** The hosts the JDK never proxies unless told otherwise ({@code DefaultProxySelector}). */
  static final String ALWAYS_DIRECT = "localhost|127.*|[::1]|0.0.0.0|[::0]";

  /**
   * What the environment asks for.
   *
   * @param properties the JDK properties that express it, in order
   * @param notes one line per proxy in use, for the console (host and port only)
   * @param warnings what was left out and why
   */
  public record Settings(
      Map<String, String> properties, List<String> notes, List<String> warnings) {}

  private ProxyEnvironment() {}

  /**
   * Sets the properties {@code env} asks for where no {@code -D} flag set that scheme's proxy.
   *
   * @return what the JVM now uses, for the console
   */
  public static Settings apply(Map<String, String> env) {
    Settings settings = read(env, System::getProperty);
    settings.properties().forEach(System::setProperty);
    return settings;
  }

  /**
   * The properties to set and the console lines for {@code env}, given the properties already set
   * ({@code existing}, usually {@link System#getProperty}): a scheme whose {@code proxyHost} a
   * {@code -D} flag set keeps it, port included, and so does a {@code -D} {@code nonProxyHosts}.
   * Sets nothing ({@code check} shows the lines).
   */
  public static Settings read(Map<String, String> env, UnaryOperator<String> existing) {
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String noProxy = variable(env, "no_proxy");
    boolean none = noProxy != null && noProxy.strip().equals("*"); // curl's "no proxy for any host"
    boolean proxied = false;
    for (String scheme : List.of("https", "http")) {
      String flagHost = existing.apply(scheme + ".proxyHost");
      if (flagHost != null && !flagHost.isEmpty()) {
        String flagPort = existing.apply(scheme + ".proxyPort");
        notes.add(
            scheme
                + ":// upstreams through the proxy "
                + flagHost
                + ":"
                + (flagPort == null ? ("https".equals(scheme) ? "443" : "80") : flagPort)
                + " (-D"
                + scheme
                + ".proxyHost)");
        proxied = true;
        continue;
      }
      String name = scheme + "_proxy";
      String value = variable(env, name);
      URI proxy = value == null || none ? null : proxyUri(name, value, warnings);
      if (proxy != null) {
        int port = proxy.getPort() < 0 ? 80 : proxy.getPort();
        properties.put(scheme + ".proxyHost", proxy.getHost());
        properties.put(scheme + ".proxyPort", Integer.toString(port));
        notes.add(scheme + ":// upstreams through the proxy " + proxy.getHost() + ":" + port);
        proxied = true;
      }
    }
    if (proxied && noProxy != null && !none && existing.apply("http.nonProxyHosts") == null) {
      properties.put("http.nonProxyHosts", nonProxyHosts(noProxy, warnings));
      notes.add("not through the proxy: loopback and NO_PROXY's hosts");
    }
    return new Settings(properties, notes, warnings);
  }

  /** {@code name} in lower case, else in upper case; null when neither is set or both are empty. */
  private static String variable(Map<String, String> env, String name) {
    String lower = env.get(name);
    if (lower != null && !lower.isBlank()) {
      return lower;
    }
    String upper = env.get(name.toUpperCase(Locale.ROOT));
    return upper == null || upper.isBlank() ? null : upper;
  }

  /** The proxy's URI ({@code http://host:port}, the scheme optional), or null with a warning. */
  private static URI proxyUri(String name, String value, List<String> warnings) {
    String variable = name.toUpperCase(Locale.ROOT);
    String text = value.strip();
    URI uri;
    try {
      uri = new URI(text.contains("://") ? text : "http://" + text);
    } catch (URISyntaxException e) {
      warnings.add(variable + " is not a proxy URL (http://host:port); ignored");
      return null;
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      warnings.add(
          variable
              + ": only http:// proxies are supported, not "
              + uri.getScheme()
              + "://; ignored");
      return null;
    }
    // An @ that the URI did not read as the end of user:password@ (a password holding '/', '?' or
    // '#' ends the authority early): the "host" and "port" would be parts of the credentials.
    if (uri.getHost() == null || (uri.getRawUserInfo() == null && text.indexOf('@') >= 0)) {
      warnings.add(variable + " is not a proxy URL (http://host:port); ignored");
      return null;
    }
    if (uri.getRawUserInfo() != null) {
      warnings.add(
          variable
              + ": the credentials in the URL are not sent; a proxy that requires them answers"
              + " 407");
    }
    return uri;
  }

  /**
   * {@code NO_PROXY} as the JDK's {@code http.nonProxyHosts}, after loopback: {@code example.com}
   * and {@code .example.com} stand for the domain and every host under it (as in curl), an IPv4
   * range becomes the wildcards that cover it, ports are dropped. The JDK applies the list to https
   * too.
   */
  static String nonProxyHosts(String noProxy, List<String> warnings) {
    Set<String> patterns = new LinkedHashSet<>();
    patterns.add(ALWAYS_DIRECT);
    int from = 0;
    while (from <= noProxy.length()) {
      int comma = noProxy.indexOf(',', from);
      int to = comma < 0 ? noProxy.length() : comma;
      addEntry(noProxy.substring(from, to).strip().toLowerCase(Locale.ROOT), patterns, warnings);
      from = to + 1;
    }
    return String.join("|", patterns);
  }

  private static void addEntry(String entry, Set<String> patterns, List<String> warnings) {
    if (entry.isEmpty()) {
      return;
    }
    if (entry.startsWith("[")) { // [::1]:8080
      int close = entry.indexOf(']');
      if (close > 0) {
        patterns.add(entry.substring(0, close + 1));
      }
      return;
    }
    int slash = entry.indexOf('/');
    if (slash >= 0) {
      List<String> range = ipv4Range(entry.substring(0, slash), entry.substring(slash + 1));
      if (range.isEmpty()) {
        warnings.add("NO_PROXY entry " + entry + ": not an IPv4 range (a.b.c.d/1-32); left out");
      }
      patterns.addAll(range);
      return;
    }
    if (entry.indexOf(':') != entry.lastIndexOf(':')) { // a bare IPv6 address
      patterns.add("[" + entry + "]");
      return;
    }
    int colon = entry.indexOf(':');
    String host = colon < 0 ? entry : entry.substring(0, colon);
    String domain = host.startsWith("*.") ? host.substring(2) : host;
    domain = domain.startsWith(".") ? domain.substring(1) : domain;
    if (domain.isEmpty()) {
      return;
    }
    patterns.add(domain);
    if (!UpstreamClient.isIpv4Literal(domain)) {
      patterns.add("*." + domain);
    }
  }

  /**
   * An IPv4 range as the wildcards that cover exactly it ({@code http.nonProxyHosts} has no
   * ranges): {@code 10.0.0.0/8} is {@code 10.*}, {@code 172.16.0.0/12} the 16 patterns {@code
   * 172.16.*} to {@code 172.31.*}; at most 128 for a prefix between octets. Empty when it is not a
   * range.
   */
  private static List<String> ipv4Range(String address, String bits) {
    int prefix;
    try {
      prefix = Integer.parseInt(bits);
    } catch (NumberFormatException e) {
      return List.of();
    }
    if (!UpstreamClient.isIpv4Literal(address) || prefix < 1 || prefix > 32) {
      return List.of();
    }
    int[] octets = new int[4];
    int at = 0;
    for (int i = 0; i < 4; i++) {
      int dot = address.indexOf('.', at);
      octets[i] = Integer.parseInt(dot < 0 ? address.substring(at) : address.substring(at, dot));
      at = dot + 1;
    }
    int whole = prefix / 8; // octets fixed by the prefix
    int partBits = prefix % 8; // bits fixed in the next octet
    StringBuilder fixed = new StringBuilder();
    for (int i = 0; i < whole; i++) {
      fixed.append(octets[i]).append(i < 3 ? "." : "");
    }
    if (partBits == 0) {
      return List.of(whole == 4 ? fixed.toString() : fixed + "*");
    }
    int first = octets[whole] & (0xff << (8 - partBits)) & 0xff;
    List<String> patterns = new ArrayList<>();
    for (int v = first; v < first + (1 << (8 - partBits)); v++) {
      patterns.add(fixed.toString() + v + (whole < 3 ? ".*" : ""));
    }
    return patterns;
  }
}
