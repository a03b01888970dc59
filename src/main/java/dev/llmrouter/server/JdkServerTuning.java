package dev.llmrouter.server;

/** The JDK HTTP server's JVM-wide tunables, as the router sets them. */
public final class JdkServerTuning {

  private JdkServerTuning() {}

  /**
   * The JDK server reads its tunables once, JVM-wide, when the first server of the JVM starts: set
   * ours only where the embedding program has not chosen already (a {@code -D} flag wins).
   *
   * <ul>
   *   <li>{@code nodelay}: small responses otherwise meet Nagle plus delayed-ACK stalls.
   *   <li>{@code maxReqHeaderSize} 32 KiB instead of the JDK's 384 KiB (request line plus header
   *       lines, 32 bytes counted per line). SDK requests carry 1-2 KiB and nginx's default header
   *       buffers hold 32 KiB in all, so nothing legitimate is lost, while a 200 KB header or a 70
   *       KB URL is refused: the JDK closes the connection before any handler runs. JDK 21 builds
   *       before 21.0.5 ignore the property (they have no such limit).
   *   <li>{@code maxReqTime} 60 s instead of none: the most time from a request's first byte to the
   *       last byte of its body. Without it a TLS ClientHello on this plain port, a body shorter
   *       than its Content-Length or a chunked body that never ends holds its connection forever.
   *       It does not cover the handler: the upstream call and every response, SSE streams
   *       included, start after the body was read. 60 s still lets the default 32 MiB body arrive
   *       at about 4.5 Mbit/s; raise it with {@code -Dsun.net.httpserver.maxReqTime} for slower
   *       clients or larger bodies.
   *   <li>{@code drainAmount} 0 instead of 64 KiB: when a request is answered without its body
   *       being read (a 401, a 413, the in-flight 503), the JDK would otherwise wait for up to 64
   *       KiB of a body that may never come before it even flushes the answer, holding the
   *       connection until {@code maxReqTime}. With 0 it answers at once and closes that
   *       connection; a request whose body was read to its end keeps its connection.
   *   <li>{@code maxIdleConnections} 1024 instead of 200: past that many idle keep-alive
   *       connections the JDK closes each one that goes idle, at once. A fleet of more than 200
   *       clients (agents, app instances) would then reconnect for every request, and a client that
   *       sends on a connection as it is being closed gets an error rather than an answer. An idle
   *       connection holds about 33 KB of buffers, so 1024 of them hold about 33 MB; the JDK still
   *       closes each after 30 s idle ({@code idleInterval}).
   *   <li>Not {@code maxRspTime}: it would cut long SSE streams.
   *   <li>Not {@code maxReqHeaders}: the JDK's 200 (every 21+ build) already refuses 5,000 headers.
   * </ul>
   */
  public static void apply() {
    setIfAbsent("sun.net.httpserver.nodelay", "true");
    setIfAbsent("sun.net.httpserver.maxReqHeaderSize", Integer.toString(32 * 1024));
    setIfAbsent("sun.net.httpserver.maxReqTime", "60");
    setIfAbsent("sun.net.httpserver.drainAmount", "0");
    setIfAbsent("sun.net.httpserver.maxIdleConnections", "1024");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
