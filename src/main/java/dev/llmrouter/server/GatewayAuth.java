package dev.llmrouter.server;

import com.sun.net.httpserver.Headers;
import dev.llmrouter.logging.Redactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Gateway authentication: when {@code server.api_keys} is set, a client must present one of them.
 * The official OpenAI SDK sends {@code Authorization: Bearer}, the Anthropic SDKs either that or
 * {@code x-api-key}; a browser opening the GET pages sends Basic credentials, whose password is the
 * key. Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which takes the
 * same time wherever the first difference lies, and every key is compared, so timing tells nothing
 * about which key came close.
 */
final class GatewayAuth {

  static final String MESSAGE =
      "Missing or invalid gateway key: send one of server.api_keys as"
          + " 'Authorization: Bearer <key>' or 'x-api-key: <key>'.";

  private final List<byte[]> digests;
  private final List<String> ids;

  GatewayAuth(List<String> keys) {
    this.digests = keys.stream().map(GatewayAuth::digest).toList();
    this.ids = keys.stream().map(Redactor::keyId).toList();
  }

  boolean enabled() {
    return !digests.isEmpty();
  }

  /**
   * The key id ({@link Redactor#keyId}) of the gateway key the request presents, or null when it
   * presents none that is valid.
   *
   * @param allowBasic Basic credentials count only on the GET pages, for browsers
   */
  String identify(Headers headers, boolean allowBasic) {
    String match = null;
    String authorization = headers.getFirst("Authorization");
    if (authorization != null) {
      String value = authorization.strip();
      if (startsWithIgnoreCase(value, "Bearer ")) {
        match = firstNonNull(match, lookup(value.substring(7).strip()));
      } else if (allowBasic && startsWithIgnoreCase(value, "Basic ")) {
        match = firstNonNull(match, lookup(basicPassword(value.substring(6).strip())));
      }
    }
    String apiKey = headers.getFirst("x-api-key");
    if (apiKey != null) {
      match = firstNonNull(match, lookup(apiKey.strip()));
    }
    return match;
  }

  private String lookup(String candidate) {
    if (candidate == null || candidate.isEmpty()) {
      return null;
    }
    byte[] presented = digest(candidate);
    String found = null;
    for (int i = 0; i < digests.size(); i++) {
      if (MessageDigest.isEqual(presented, digests.get(i)) && found == null) {
        found = ids.get(i);
      }
    }
    return found;
  }

  private static String basicPassword(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }

  /**
   * Copied for each request, not looked up: {@code getInstance} walks the security providers each
   * time, and this runs for every request when gateway keys are set.
   */
  private static final MessageDigest SHA_256 = sha256();

  private static byte[] digest(String key) {
    MessageDigest md;
    try {
      md = (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      md = sha256(); // a provider whose digest cannot be copied
    }
    return md.digest(key.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
