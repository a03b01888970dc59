package dev.llmrouter.upstream;

/** The JDK HTTP client's JVM-wide tunables, as {@code serve} and {@code demo} set them. */
public final class JdkClientTuning {

  static final String KEEPALIVE = "jdk.httpclient.keepalive.timeout";
  static final String KEEPALIVE_H2 = "jdk.httpclient.keepalive.timeout.h2";

  /**
   * Seconds an idle HTTP/1.1 upstream connection stays pooled: under the 5 s after which uvicorn
   * (vLLM), Node.js and llama.cpp's server close theirs. The JDK's default, 30 s, outlives them: a
   * request that left on a connection such a server was closing got no byte back and failed as
   * {@code broken}, a failed attempt of a provider that never saw the request.
   */
  static final String KEEPALIVE_SECONDS = "4";

  /**
   * HTTP/2 connections (TLS to the hosted APIs) keep the JDK's 30 s: a server ends one with a
   * GOAWAY rather than silently, and a new one costs a TLS handshake.
   */
  static final String KEEPALIVE_H2_SECONDS = "30";

  private JdkClientTuning() {}

  /**
   * The JDK client reads these once, JVM-wide, on its first exchange: call this before any. A
   * {@code -D} flag wins.
   *
   * <p>The JDK's own resend of a request that got no byte back ({@code
   * jdk.httpclient.enableAllMethodRetry}) is left off: it cannot tell a stale pooled connection
   * from a provider that took the request and dropped the connection (it resends on any), so such a
   * provider would get every POST twice, uncounted by {@code max_retries}, the log and {@code
   * x-router-attempts}. The short keep-alive above spares the stale connections instead.
   *
   * <p>Not applied by {@code Router} for an embedding program: it changes that program's own {@code
   * HttpClient} too. Such a program can pass the flags itself.
   */
  public static void apply() {
    if (System.getProperty(KEEPALIVE) == null) {
      System.setProperty(KEEPALIVE, KEEPALIVE_SECONDS);
    }
    if (System.getProperty(KEEPALIVE_H2) == null) {
      System.setProperty(KEEPALIVE_H2, KEEPALIVE_H2_SECONDS);
    }
  }
}
