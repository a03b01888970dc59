package dev.llmrouter.logging;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The one home of secret redaction. Every sink that could carry a secret (log files, console, error
 * bodies, relayed bodies and events, response headers, exception messages) passes its text through
 * {@link #redact}; displays of a key use {@link #mask} or {@link #keyId}.
 *
 * <p>A secret is found in any spelling a JSON or URL encoder could give it: each character literal,
 * as a JSON escape (<code>&#92;u0073</code>, {@code \/}) or percent-encoded ({@code %73}), mixed
 * freely. A provider that echoes a key with escapes, or a client that sends a gateway key that way,
 * must not get it past the scan (see {@link SecretScanner}).
 */
public final class Redactor {

  public static final String REDACTED = "[REDACTED]";

  /**
   * Shorter strings are placeholders ({@code ollama}, {@code none}), not credentials: redacting
   * them would blank out provider names and every word that contains them.
   */
  public static final int MIN_SECRET_LENGTH = 8;

  /** The secrets as given (each key once); {@link #secrets} adds their base64 spellings. */
  private volatile List<String> given = List.of();

  private volatile List<String> secrets;

  /** The keys themselves, lowercased once, for header names (see {@link #namesASecret}). */
  private volatile List<String> lowercaseKeys = List.of();

  private volatile SecretScanner scanner;
  private final int minLength;

  /** Redacts every secret of at least {@value #MIN_SECRET_LENGTH} characters. */
  public Redactor(Collection<String> secrets) {
    this(secrets, MIN_SECRET_LENGTH);
  }

  private Redactor(Collection<String> secrets, int minLength) {
    this.minLength = minLength;
    set(secrets);
  }

  /**
   * Finds every one of {@code secrets}, however short: for recognising a client's own credentials
   * (gateway keys) wherever it sent them, where a miss would forward one.
   */
  public static Redactor ofAnyLength(Collection<String> secrets) {
    return new Redactor(secrets, 1);
  }

  /**
   * Adds secrets (a reloaded config's keys); never forgets one, since records of requests that ran
   * on an older config may still be on their way to the log.
   */
  public synchronized void add(Collection<String> more) {
    // From the keys as given, never from their spellings: spellings of spellings tripled the list
    // at every reload, until a dozen reloads stalled every scan.
    List<String> all = new ArrayList<>(given);
    for (String s : more) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    set(all);
  }

  private void set(Collection<String> all) {
    this.given = List.copyOf(all.stream().filter(java.util.Objects::nonNull).toList());
    List<String> sorted =
        all.stream()
            .filter(s -> s != null && !s.isBlank() && s.length() >= minLength)
            .flatMap(s -> Stream.concat(Stream.of(s), base64Spellings(s)))
            .distinct()
            // Longest first, so a key that contains another is replaced whole.
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    this.scanner = new SecretScanner(sorted);
    this.lowercaseKeys =
        all.stream()
            .filter(s -> s != null && !s.isBlank() && s.length() >= minLength)
            .map(s -> s.toLowerCase(Locale.ROOT))
            .filter(s -> !sorted.contains(s)) // already found as they are, by containsSecret
            .distinct()
            .toList();
    this.secrets = sorted;
  }

  /**
   * The runs of base64 characters that stand for {@code secret} wherever it sits in encoded text,
   * in both alphabets (RFC 4648 sections 4 and 5): a provider that echoes an {@code Authorization}
   * header or a dump of the request it got may send the key encoded, and a key 3n bytes into the
   * encoded data is spelt differently from one 3n + 1 or 3n + 2 bytes in. For each of the three
   * offsets, only the characters made of the key's bits alone (none of its neighbours') are kept:
   * about 4/3 of the key's length, less a character or two at either end. Short placeholders are
   * left alone, as above.
   */
  private static Stream<String> base64Spellings(String secret) {
    if (secret.length() < MIN_SECRET_LENGTH) {
      return Stream.empty();
    }
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>(6);
    for (int offset = 0; offset < 3; offset++) {
      byte[] framed = new byte[offset + key.length + 2];
      System.arraycopy(key, 0, framed, offset, key.length);
      String encoded = Base64.getEncoder().withoutPadding().encodeToString(framed);
      int from = (8 * offset + 5) / 6; // the first character with none of the bytes before
      int to = (8 * (offset + key.length)) / 6; // past the last with none of the bytes after
      String run = encoded.substring(from, to);
      out.add(run);
      out.add(run.replace('+', '-').replace('/', '_'));
    }
    return out.stream();
  }

  /** The text with every known secret, in any spelling, replaced by {@value #REDACTED}. */
  public String redact(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] redacted = scanner.redact(bytes);
    return redacted == bytes ? text : new String(redacted, StandardCharsets.UTF_8);
  }

  /** The most of a client's value an error message quotes. */
  private static final int MAX_SHOWN = 200;

  /**
   * A value from the request (a model, a response id) as an error message quotes it: every secret
   * replaced first, so that the cut cannot leave part of one, then at most 200 characters. Any
   * character is kept; the JSON of the error body escapes what needs it.
   */
  public String shown(String value) {
    String clean = redact(value);
    return clean.length() > MAX_SHOWN ? Json.cut(clean, MAX_SHOWN) + "..." : clean;
  }

  /** The bytes (UTF-8 text) with every secret replaced; the same array when none is in it. */
  public byte[] redact(byte[] body) {
    if (body == null || body.length == 0) {
      return body;
    }
    return scanner.redact(body);
  }

  /** Writes {@code text[0, length)} to {@code out}, every secret replaced, without a copy. */
  void redactTo(byte[] text, int length, java.io.OutputStream out) throws java.io.IOException {
    scanner.redactTo(text, length, out);
  }

  /**
   * Where to cut {@code text} short so that no part of a key stays: {@code cut} itself, or, when it
   * falls inside a run of the characters keys are made of (letters, digits, and the punctuation of
   * keys and of their escaped, percent-encoded and base64 spellings), the start of that run. The
   * scan finds a key only whole, so the part of one a cut left would pass it: every cut of text
   * that is redacted afterwards goes through here.
   */
  public static int cutPoint(byte[] text, int cut) {
    return cutPoint(text.length, i -> text[i], cut);
  }

  /** {@link #cutPoint(byte[], int)} for text in chars. */
  public static int cutPoint(CharSequence text, int cut) {
    return cutPoint(text.length(), text::charAt, cut);
  }

  private static int cutPoint(int length, java.util.function.IntUnaryOperator at, int cut) {
    if (cut <= 0
        || cut >= length
        || !keyChar(at.applyAsInt(cut - 1))
        || !keyChar(at.applyAsInt(cut))) {
      return Math.max(0, Math.min(cut, length));
    }
    int from = cut;
    while (from > 0 && cut - from < MAX_BACKOFF && keyChar(at.applyAsInt(from - 1))) {
      from--;
    }
    return from;
  }

  /**
   * The furthest a cut backs off: longer than any key in its longest spelling (a 200-character key
   * with every character a JSON escape), so a key the cut would split lies wholly past it even in a
   * run of key characters this long (a base64 image, a run of one letter), which is not cut away.
   */
  static final int MAX_BACKOFF = 2048;

  /** Whether a key, in any spelling the scan knows, may hold this character. */
  static boolean keyChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.'
        || c == '~'
        || c == '+'
        || c == '/'
        || c == '='
        || c == '%'
        || c == '\\';
  }

  /** Whether the text holds a secret in any spelling. */
  public boolean containsSecret(String text) {
    return text != null && !secrets.isEmpty() && !text.equals(redact(text));
  }

  /**
   * Whether a header's name holds a secret: as {@link #containsSecret}, and in any case, since HTTP
   * names are case-insensitive and the JDK lowercases them ({@code X-sk-Ab12...} arrives as {@code
   * x-sk-ab12...}).
   */
  public boolean namesASecret(String headerName) {
    if (containsSecret(headerName)) {
      return true;
    }
    List<String> keys = lowercaseKeys; // empty unless a key has capitals: no work then
    if (keys.isEmpty()) {
      return false;
    }
    String name = headerName.toLowerCase(Locale.ROOT);
    for (String key : keys) {
      if (name.contains(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A key as people may see it: {@code sk-...abcd}, as issue 3 shows it. Keys under 20 characters
   * show nothing at all ({@code ***}), as their seven shown characters would be a third of one or
   * more; except a key from 12 characters that starts with {@code sk-}, the public prefix of
   * OpenAI's, Anthropic's, OpenRouter's and DeepSeek's keys, of which only the last four characters
   * are then shown (a test key such as {@code sk-test-1234} stays recognisable).
   */
  public static String mask(String key) {
    boolean shown =
        key != null && (key.length() >= 20 || (key.length() >= 12 && key.startsWith("sk-")));
    if (!shown) {
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
