package dev.llmrouter.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A header sent with every request to one provider ({@code headers} in the config): OpenRouter's
 * {@code HTTP-Referer}, an {@code anthropic-beta}, a gateway's own auth header.
 *
 * @param secret whether the value came from an {@code ${ENV}} or {@code ${file:}} reference, or is
 *     a credential by the header's name ({@link #namesACredential}): then it is redacted wherever
 *     keys are, and {@code check} shows it masked
 * @param secretParts what the references put into the value, each redacted on its own as well: a
 *     provider that echoes only the token of {@code Bearer ${HELICONE_KEY}} must not get it past a
 *     scan for the whole value
 */
public record ProviderHeader(String name, String value, boolean secret, List<String> secretParts) {

  /** A header whose value, when {@code secret}, is a secret as a whole. */
  public ProviderHeader(String name, String value, boolean secret) {
    this(name, value, secret, secret && value != null ? List.of(value) : List.of());
  }

  /**
   * Names the router sets itself: framing and connection handling (RFC 9110 7.6.1 hop-by-hop, plus
   * what the JDK client refuses to take), the coding it asks for, and the credentials, which belong
   * in {@code api_key} and {@code auth}.
   */
  private static final Set<String> ROUTER_OWNED =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "accept-encoding",
          "authorization",
          "x-api-key",
          "api-key");

  public ProviderHeader {
    secretParts = List.copyOf(secretParts);
    String problem = nameProblem(name);
    if (problem == null) {
      problem = valueProblem(value);
    }
    if (problem != null) {
      throw new IllegalArgumentException("provider header: " + problem);
    }
  }

  /**
   * Words in a header's name that say its value is a credential: Helicone's {@code Helicone-Auth},
   * Google's {@code x-goog-api-key}, Cloudflare AI Gateway's {@code cf-aig-authorization},
   * Portkey's {@code x-portkey-api-key}, a {@code Cookie}.
   */
  private static final List<String> CREDENTIAL_WORDS =
      List.of("auth", "key", "token", "secret", "cookie", "password", "signature");

  /**
   * Whether a header's name says it carries a credential: its value is then a secret even when the
   * config holds it as it is, not only when it came from {@code ${ENV}} or {@code ${file:}}.
   */
  public static boolean namesACredential(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String word : CREDENTIAL_WORDS) {
      if (lower.contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A value written into the config as it is, under a name that {@linkplain #namesACredential names
   * a credential}: a secret as a whole, and what follows a scheme ({@code Bearer sk-...}) a secret
   * on its own, as the part a reference put in would be.
   */
  static ProviderHeader literalCredential(String name, String value) {
    int space = value.lastIndexOf(' ');
    String token = space < 0 ? "" : value.substring(space + 1);
    return new ProviderHeader(name, value, true, token.isEmpty() ? List.of() : List.of(token));
  }

  /** Why a header name cannot be configured, or null when it can. */
  static String nameProblem(String name) {
    if (!isToken(name)) {
      return "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)";
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (ROUTER_OWNED.contains(lower) || lower.startsWith("x-router-")) {
      return "is set by the router and cannot be configured"
          + (lower.equals("authorization") || lower.endsWith("api-key")
              ? " (put the key in api_key and choose how it is sent with auth)"
              : "");
    }
    return null;
  }

  /** Why a header value cannot be sent, or null when it can; never quotes the value. */
  static String valueProblem(String value) {
    if (value == null) {
      return "must be a string";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return "must not contain control characters";
      }
      if (c > 0xff) {
        // The JDK client sends header values as ISO-8859-1 and refuses anything beyond.
        return "must contain only ISO-8859-1 characters";
      }
    }
    return null;
  }

  /** Whether {@code name} is a header name HTTP allows: one or more RFC 9110 tchars. */
  public static boolean isToken(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    // A loop, not a stream: this runs for every header of every request (HeaderPolicy).
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 5.6.2 tchar. */
  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  /** Never prints a secret value. */
  @Override
  public String toString() {
    return name + ": " + (secret ? "***" : value);
  }
}
