package dev.llmrouter.upstream;

/** The JDK HTTP client's JVM-wide tunables, as {@code serve} and {@code demo} set them. */
public final class JdkClientTuning {

  static final String RETRY_ALL_METHODS = "jdk.httpclient.enableAllMethodRetry";

  private JdkClientTuning() {}

  /**
   * The JDK client reads these once, JVM-wide, on its first exchange: call this before any. A
   * {@code -D} flag wins.
   *
   * <p>{@code enableAllMethodRetry}: a server closes an idle keep-alive connection on its own clock
   * (uvicorn, under vLLM: after 5 s; the JDK's server: at once past 200 idle connections; proxies:
   * after 60-900 s), while the client keeps it pooled longer (30 s on JDK 25). A request that
   * leaves on a pooled connection just as the server closes it gets no byte back. The JDK then
   * sends it once more on a new connection, but only GET and HEAD unless this is set; every request
   * the router sends is a POST, which would fail as {@code broken}: a backoff, an attempt, a strike
   * towards the provider's breaker, or the next provider when {@code max_retries} is 0, for a
   * provider that never saw the request. The JDK retries once, when nothing at all arrived before
   * the connection closed; it does not ask whether the connection was a reused one (Http1Exchange
   * sets retry-on-error for every exchange), so a provider that took the request on a new
   * connection and dropped it without a byte gets it twice. Kept: the stale pooled connection is
   * the common case (every few seconds under vLLM), a provider that dies mid-request without a byte
   * is rare, and the router's own table retries a {@code broken} attempt anyway.
   *
   * <p>Not applied by {@code Router} for an embedding program: it changes that program's own {@code
   * HttpClient} POSTs too. Such a program can pass the flag itself.
   */
  public static void apply() {
    if (System.getProperty(RETRY_ALL_METHODS) == null) {
      System.setProperty(RETRY_ALL_METHODS, "true");
    }
  }
}
