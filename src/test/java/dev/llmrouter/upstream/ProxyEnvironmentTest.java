package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY as the JDK's proxy properties. */
class ProxyEnvironmentTest {

  /** No -D flags. */
  private static ProxyEnvironment.Settings read(Map<String, String> env) {
    return ProxyEnvironment.read(env, name -> null);
  }

  @Test
  void noVariablesSetNothing() {
    ProxyEnvironment.Settings s = read(Map.of("PATH", "/usr/bin"));

    assertThat(s.properties()).isEmpty();
    assertThat(s.notes()).isEmpty();
    assertThat(s.warnings()).isEmpty();
  }

  @Test
  void eachSchemeGetsItsProxyLowerCaseFirstWithPort80WhenNoneIsGiven() {
    ProxyEnvironment.Settings s =
        read(
            Map.of(
                "https_proxy", "http://egress.corp:3128",
                "HTTPS_PROXY", "http://ignored.corp:1",
                "HTTP_PROXY", "plain.corp"));

    assertThat(s.properties())
        .containsExactly(
            Map.entry("https.proxyHost", "egress.corp"),
            Map.entry("https.proxyPort", "3128"),
            Map.entry("http.proxyHost", "plain.corp"),
            Map.entry("http.proxyPort", "80"));
    assertThat(s.notes())
        .containsExactly(
            "https:// upstreams through the proxy egress.corp:3128",
            "http:// upstreams through the proxy plain.corp:80");
  }

  @Test
  void credentialsAreNeitherSentNorRepeated() {
    ProxyEnvironment.Settings s =
        read(Map.of("HTTPS_PROXY", "http://alice:s3cret-pass@egress.corp:8080"));

    assertThat(s.properties()).containsEntry("https.proxyHost", "egress.corp");
    assertThat(s.warnings())
        .containsExactly(
            "HTTPS_PROXY: the credentials in the URL are not sent; a proxy that requires them"
                + " answers 407");
    assertThat(String.join("\n", s.notes()) + String.join("\n", s.warnings()))
        .doesNotContain("s3cret")
        .doesNotContain("alice");
  }

  @Test
  void aProxyTheJdkCannotUseIsLeftOutWithAWarning() {
    ProxyEnvironment.Settings s =
        read(Map.of("HTTPS_PROXY", "socks5://socks.corp:1080", "HTTP_PROXY", "http://"));

    assertThat(s.properties()).isEmpty();
    assertThat(s.warnings())
        .containsExactly(
            "HTTPS_PROXY: only http:// proxies are supported, not socks5://; ignored",
            "HTTP_PROXY is not a proxy URL (http://host:port); ignored");
  }

  @Test
  void noProxyStarTurnsEveryProxyOff() {
    assertThat(read(Map.of("HTTPS_PROXY", "egress.corp:3128", "no_proxy", " * ")).properties())
        .isEmpty();
  }

  @Test
  void noProxyBecomesTheJdksListAfterLoopback() {
    List<String> warnings = new ArrayList<>();

    String hosts =
        ProxyEnvironment.nonProxyHosts(
            "internal.corp, .svc.cluster.local,*.lan,vllm:8000, 10.0.0.0/8,192.168.1.0/24,"
                + "172.16.0.0/12,10.1.2.3,[fd00::1]:80,fd00::2,,",
            warnings);

    assertThat(hosts)
        .isEqualTo(
            ProxyEnvironment.ALWAYS_DIRECT
                + "|internal.corp|*.internal.corp|svc.cluster.local|*.svc.cluster.local"
                + "|lan|*.lan|vllm|*.vllm|10.*|192.168.1.*"
                + "|172.16.*|172.17.*|172.18.*|172.19.*|172.20.*|172.21.*|172.22.*|172.23.*"
                + "|172.24.*|172.25.*|172.26.*|172.27.*|172.28.*|172.29.*|172.30.*|172.31.*"
                + "|10.1.2.3|[fd00::1]|[fd00::2]");
    assertThat(warnings).isEmpty();
  }

  @Test
  void noProxyIsSetOnlyWhenAProxyIs() {
    assertThat(read(Map.of("NO_PROXY", "internal.corp")).properties()).isEmpty();
    assertThat(read(Map.of("HTTPS_PROXY", "egress.corp:3128", "NO_PROXY", "a.corp")).properties())
        .containsEntry("http.nonProxyHosts", ProxyEnvironment.ALWAYS_DIRECT + "|a.corp|*.a.corp");
  }

  @Test
  void rangesBetweenOctetsBecomeEveryWildcardTheyCoverAndNonRangesAWarning() {
    List<String> warnings = new ArrayList<>();

    assertThat(
            ProxyEnvironment.nonProxyHosts("100.64.0.0/10,10.9.8.7/31,10.0.0.0/33,a/8", warnings))
        .startsWith(ProxyEnvironment.ALWAYS_DIRECT + "|100.64.*|100.65.*")
        .endsWith("|100.127.*|10.9.8.6|10.9.8.7")
        .doesNotContain("100.63.")
        .doesNotContain("100.128.");
    assertThat(warnings)
        .containsExactly(
            "NO_PROXY entry 10.0.0.0/33: not an IPv4 range (a.b.c.d/1-32); left out",
            "NO_PROXY entry a/8: not an IPv4 range (a.b.c.d/1-32); left out");
  }

  @Test
  void aProxyFlagOfTheJvmWinsHostAndPortTogetherAndTheLineSaysSo() {
    Map<String, String> flags = Map.of("https.proxyHost", "flag.corp", "http.nonProxyHosts", "x");

    ProxyEnvironment.Settings s =
        ProxyEnvironment.read(
            Map.of(
                "HTTPS_PROXY", "http://env.corp:3128",
                "HTTP_PROXY", "http://env.corp:3129",
                "NO_PROXY", "a.corp"),
            flags::get);

    assertThat(s.properties())
        .containsExactly(
            Map.entry("http.proxyHost", "env.corp"), Map.entry("http.proxyPort", "3129"));
    assertThat(s.notes())
        .containsExactly(
            "https:// upstreams through the proxy flag.corp:443 (-Dhttps.proxyHost)",
            "http:// upstreams through the proxy env.corp:3129");
  }

  /** A password holding '/', '?' or '#' ends a URI's authority early: nothing of it is shown. */
  @Test
  void aUrlWhoseCredentialsTheParserCannotSeparateIsRefusedWithoutEchoingIt() {
    for (String url :
        List.of(
            "http://ops:20/24x@egress.corp:3128",
            "http://ops:20#24x@egress.corp:3128",
            "http://ops:20?24x@egress.corp:3128")) {
      ProxyEnvironment.Settings s = read(Map.of("HTTPS_PROXY", url));

      assertThat(s.properties()).as(url).isEmpty();
      assertThat(s.notes()).as(url).isEmpty();
      assertThat(s.warnings())
          .as(url)
          .containsExactly("HTTPS_PROXY is not a proxy URL (http://host:port); ignored");
    }
  }
}
