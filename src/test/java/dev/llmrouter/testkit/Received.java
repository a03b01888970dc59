package dev.llmrouter.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request as the {@link FakeUpstream} read it off the wire.
 *
 * @param method the request method, e.g. {@code POST}
 * @param target the request target exactly as received (path plus {@code ?query})
 * @param headers header values by lower-case name, in arrival order
 * @param body the decoded body (chunked transfer coding removed); empty when there was none
 */
// The byte[] component is part of the agreed API; it is copied in and out, and equals/hashCode
// compare contents, so the usual array-in-record pitfalls do not apply.
@SuppressWarnings("ArrayRecordComponent")
public record Received(
    String method, String target, Map<String, List<String>> headers, byte[] body) {

  /** Copies everything so the record is immutable. */
  public Received {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    headers = Collections.unmodifiableMap(copy);
    body = body.clone();
  }

  /** Returns a copy of the body bytes. */
  @Override
  public byte[] body() {
    return body.clone();
  }

  /** The first value of the named header (case-insensitive), or {@code null}. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Received r
        && method.equals(r.method)
        && target.equals(r.target)
        && headers.equals(r.headers)
        && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, target, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return method + " " + target + " " + headers + " body=" + bodyText();
  }
}
