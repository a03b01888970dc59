package dev.llmrouter.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The converters used by the config sections. No message ever quotes the offending value: it may be
 * a key, or come from an environment variable.
 */
final class Values {

  private static final BigDecimal HALF_NANO = new BigDecimal("0.0000000005");

  /**
   * Upper bound for every duration: about 31 years, far beyond any sensible timeout, and small
   * enough that {@code Duration.toMillis()}/{@code toNanos()} never overflow downstream.
   */
  static final long MAX_SECONDS = 1_000_000_000L;

  private Values() {}

  /** A string, {@code ${ENV}}-expanded; empty after expansion is reported as {@code ifEmpty}. */
  static Converter<String> text(String ifEmpty) {
    return (path, json, ctx) -> {
      if (!json.isString()) {
        ctx.problem(path, "must be a string");
        return Optional.empty();
      }
      Optional<String> expanded = EnvExpander.expand(json.stringValue(), path, ctx);
      if (expanded.isPresent() && expanded.get().isEmpty()) {
        ctx.problem(path, ifEmpty);
        return Optional.empty();
      }
      return expanded;
    };
  }

  /**
   * A credential: a non-blank string without whitespace or control characters. It ends up in an
   * HTTP header, and a stray newline from an env file would otherwise fail much later, obscurely.
   */
  static Converter<String> secret(String ifEmpty) {
    Converter<String> text = text(ifEmpty);
    return (path, json, ctx) -> {
      Optional<String> value = text.convert(path, json, ctx);
      if (value.isEmpty()) {
        return value;
      }
      String s = value.get();
      if (s.isBlank()) {
        ctx.problem(path, ifEmpty);
        return Optional.empty();
      }
      if (s.regionMatches(true, 0, "Bearer ", 0, 7)) {
        // Copied from a curl line: a provider's key goes out in the form its auth says, and a
        // client sends a gateway key after its own "Bearer ".
        ctx.problem(path, "must be the key alone, without 'Bearer '");
        return Optional.empty();
      }
      if (s.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        ctx.problem(path, "must not contain whitespace or control characters");
        return Optional.empty();
      }
      return value;
    };
  }

  /**
   * A provider's key: a {@link #secret} the router sends in a header, which the JDK client sends as
   * ISO-8859-1 and refuses past it. What gets here beyond ASCII is an invisible character pasted
   * along (U+FEFF, U+200B), never a key's. (A gateway key is only compared, in UTF-8: any text.)
   */
  static Converter<String> providerKey(String ifEmpty) {
    Converter<String> secret = secret(ifEmpty);
    return (path, json, ctx) -> {
      Optional<String> value = secret.convert(path, json, ctx);
      if (value.isPresent() && value.get().chars().anyMatch(c -> c > '~')) {
        ctx.problem(
            path,
            "must contain only ASCII characters (an invisible one such as a byte-order mark or a"
                + " zero-width space came with it?)");
        return Optional.empty();
      }
      return value;
    };
  }

  /**
   * A JSON integer (not {@code 1.0}, not {@code "1"}) within {@code min..max}; out of range is
   * reported as {@code outOfRange} so each key can word its own limits.
   */
  static Converter<Long> integer(long min, long max, String outOfRange) {
    return (path, json, ctx) -> {
      if (!json.isIntegralNumber()) {
        ctx.problem(path, "must be an integer");
        return Optional.empty();
      }
      BigInteger value = json.bigIntegerValue();
      if (value.compareTo(BigInteger.valueOf(min)) < 0
          || value.compareTo(BigInteger.valueOf(max)) > 0) {
        ctx.problem(path, outOfRange);
        return Optional.empty();
      }
      return Optional.of(value.longValueExact());
    };
  }

  /** A JSON {@code true} or {@code false} (not {@code "true"}, not {@code 1}). */
  static Converter<Boolean> bool() {
    return (path, json, ctx) -> {
      if (!json.isBoolean()) {
        ctx.problem(path, "must be true or false");
        return Optional.empty();
      }
      return Optional.of(json.booleanValue());
    };
  }

  /**
   * A number of seconds, possibly fractional, as a {@link Duration} exact to the nanosecond (floats
   * are read as {@link BigDecimal}, so {@code 0.1} really is 100 ms). Zero is allowed only when
   * {@code allowZero}; a positive value that rounds to zero nanoseconds is not positive.
   */
  static Converter<Duration> seconds(boolean allowZero) {
    String wrong =
        allowZero
            ? "must be a non-negative number of seconds"
            : "must be a positive number of seconds";
    return (path, json, ctx) -> {
      if (!json.isNumber()) {
        ctx.problem(path, wrong);
        return Optional.empty();
      }
      BigDecimal seconds = json.decimalValue();
      if (seconds.signum() < 0) {
        ctx.problem(path, wrong);
        return Optional.empty();
      }
      if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
        ctx.problem(path, "must be at most " + MAX_SECONDS + " seconds");
        return Optional.empty();
      }
      // Below half a nanosecond is 0 (and an exponent like 1e-999999999 would overflow the scale).
      long nanos =
          seconds.compareTo(HALF_NANO) < 0
              ? 0
              : seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
      if (nanos == 0 && !allowZero) {
        ctx.problem(path, wrong);
        return Optional.empty();
      }
      return Optional.of(Duration.ofNanos(nanos));
    };
  }

  /**
   * An absolute http(s) URL with a host and without query or fragment (the router appends API paths
   * to it). Trailing slashes are stripped so that appending {@code /chat/completions} never
   * produces {@code //}. User info is refused: credentials belong in {@code api_key}, and the base
   * URL is shown in logs.
   */
  static Converter<URI> httpUrl() {
    Converter<String> text = text("required");
    return (path, json, ctx) -> {
      if (!json.isString()) {
        ctx.problem(path, "must be an http or https URL");
        return Optional.empty();
      }
      return text.convert(path, json, ctx).flatMap(s -> url(s, path, ctx));
    };
  }

  private static Optional<URI> url(String s, String path, ParseContext ctx) {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      ctx.problem(path, "must be an http or https URL");
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))
        || uri.isOpaque()
        || uri.getHost() == null
        || uri.getHost().isEmpty()) {
      ctx.problem(path, "must be an http or https URL");
      return Optional.empty();
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      ctx.problem(path, "must not have a query or fragment");
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      ctx.problem(path, "must not contain user info (put credentials in api_key)");
      return Optional.empty();
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      ctx.problem(path, "must have a port of 1..65535");
      return Optional.empty();
    }
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    // Cannot fail: removing trailing slashes from a valid hierarchical URL without a query or
    // fragment only shortens its path (and "https://host/" becomes "https://host"). The scheme is
    // lower-cased so later code can compare it plainly.
    return Optional.of(URI.create(scheme + s.substring(scheme.length(), end)));
  }

  /**
   * A host name or address as a {@code Host} header names it, without the port: letters, digits,
   * dots, hyphens, and the brackets and colons of an IPv6 literal. Compared case-insensitively.
   */
  static Converter<String> hostName() {
    Converter<String> text = text("must be a non-empty host name");
    return (path, json, ctx) ->
        text.convert(path, json, ctx)
            .flatMap(
                s -> {
                  if (!s.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]")) {
                    ctx.problem(path, "must be a host name or address without a port or scheme");
                    return Optional.empty();
                  }
                  return Optional.of(s.toLowerCase(Locale.ROOT));
                });
  }

  /**
   * An address to listen on: a host name or an IPv4 or IPv6 address ({@code 0.0.0.0}, {@code ::},
   * {@code [::1]}), without a scheme or port.
   */
  static Converter<String> bindHost() {
    Converter<String> text = text("must be a non-empty string");
    return (path, json, ctx) ->
        text.convert(path, json, ctx)
            .flatMap(
                s -> {
                  String problem = ServerSettings.hostProblem(s);
                  if (problem != null) {
                    ctx.problem(path, problem);
                    return Optional.empty();
                  }
                  return Optional.of(s);
                });
  }

  /**
   * A browser origin as the {@code Origin} header carries it ({@code https://app.example.com} or
   * with a port), {@code "null"} (sandboxed pages send it), or {@code "*"} for every origin.
   */
  static Converter<String> origin() {
    Converter<String> text = text("must be a non-empty origin");
    return (path, json, ctx) ->
        text.convert(path, json, ctx)
            .flatMap(
                s -> {
                  if (!s.equals("*")
                      && !s.equals("null")
                      && !s.matches(
                          "(?i)https?://(\\[[0-9a-f:.]+\\]|[a-z0-9.\\-]+)(:[0-9]{1,5})?")) {
                    ctx.problem(
                        path,
                        "must be an origin like https://app.example.com (scheme, host and an"
                            + " optional port; no path), \"null\" or \"*\"");
                    return Optional.empty();
                  }
                  return Optional.of(s.toLowerCase(Locale.ROOT));
                });
  }

  /** A JSON array whose elements are each converted by {@code element}, at path {@code a[i]}. */
  static <T> Converter<List<T>> list(Converter<T> element) {
    return (path, json, ctx) -> {
      if (!json.isArray()) {
        ctx.problem(path, "must be an array");
        return Optional.empty();
      }
      List<T> out = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < json.size(); i++) {
        Optional<T> value = element.convert(ParseContext.index(path, i), json.get(i), ctx);
        value.ifPresent(out::add);
        ok &= value.isPresent();
      }
      return ok ? Optional.of(out) : Optional.empty();
    };
  }
}
