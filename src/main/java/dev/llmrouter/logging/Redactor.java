package dev.llmrouter.logging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The one home of secret redaction. Every sink that could carry a secret (log files, console, error
 * bodies, exception messages) passes its text through {@link #redact}; displays of a key use {@link
 * #mask} or {@link #keyId}.
 */
public final class Redactor {

  public static final String REDACTED = "[REDACTED]";

  /** Longest first, so a key that contains another is replaced whole. */
  private volatile List<String> secrets;

  /** The same secrets as UTF-8, for scanning bytes without decoding them first. */
  private volatile List<byte[]> secretBytes;

  public Redactor(Collection<String> secrets) {
    set(secrets);
  }

  /**
   * Adds secrets (a reloaded config's keys); never forgets one, since records of requests that ran
   * on an older config may still be on their way to the log.
   */
  public synchronized void add(Collection<String> more) {
    List<String> all = new java.util.ArrayList<>(secrets);
    all.addAll(more);
    set(all);
  }

  private void set(Collection<String> all) {
    List<String> sorted =
        all.stream()
            .filter(s -> s != null && !s.isBlank())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    this.secretBytes = sorted.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    this.secrets = sorted;
  }

  /** The text with every known secret replaced by {@value #REDACTED}. */
  public String redact(String text) {
    List<String> known = secrets;
    if (text == null || known.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : known) {
      if (out.contains(secret)) {
        out = out.replace(secret, REDACTED);
      }
    }
    return out;
  }

  /** The bytes (UTF-8 text) with every secret replaced; the same array when none is in it. */
  public byte[] redact(byte[] body) {
    List<byte[]> known = secretBytes;
    if (body == null || known.isEmpty() || body.length == 0) {
      return body;
    }
    for (byte[] secret : known) {
      if (indexOf(body, secret) >= 0) {
        return redact(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      }
    }
    return body;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * A key as people may see it: {@code sk-...abcd}. Short keys show nothing at all, since their
   * ends would be most of the key.
   */
  public static String mask(String key) {
    if (key == null || key.length() < 12) {
      return "***";
    }
    return key.substring(0, 3) + "..." + key.substring(key.length() - 4);
  }

  /** A short non-reversible id of a credential, to tell clients apart in logs without the key. */
  public static String keyId(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "key_" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
