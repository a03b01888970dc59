package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmrouter.memory.MemoryBudget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentCodingTest {

  private static final byte[] BODY =
      "{\"error\":{\"message\":\"bad key sk-x\"}}".getBytes(StandardCharsets.UTF_8);

  private static final MemoryBudget.Ledger MEMORY = new MemoryBudget(1L << 30).ledger();

  private static HttpHeaders coding(String value) {
    return HttpHeaders.of(Map.of("content-encoding", List.of(value)), (a, b) -> true);
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] body, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(6, raw))) {
      d.write(body);
    }
    return out.toByteArray();
  }

  @Test
  void gzipAndBothDeflatesAreDecoded() throws IOException {
    assertThat(ContentCoding.decode(coding("gzip"), gzip(BODY), 1000, MEMORY)).isEqualTo(BODY);
    assertThat(ContentCoding.decode(coding("x-gzip"), gzip(BODY), 1000, MEMORY)).isEqualTo(BODY);
    assertThat(ContentCoding.decode(coding("deflate"), deflate(BODY, false), 1000, MEMORY))
        .isEqualTo(BODY);
    assertThat(ContentCoding.decode(coding("deflate"), deflate(BODY, true), 1000, MEMORY))
        .isEqualTo(BODY);
    assertThat(ContentCoding.decode(coding("identity"), BODY, 1000, MEMORY)).isSameAs(BODY);
    assertThat(ContentCoding.decode(HttpHeaders.of(Map.of(), (a, b) -> true), BODY, 1000, MEMORY))
        .isSameAs(BODY);
  }

  @Test
  void aStreamIsDecodedAsItIsRead() throws IOException {
    var in = ContentCoding.decoding(coding("gzip"), new ByteArrayInputStream(gzip(BODY)));
    assertThat(in.readAllBytes()).isEqualTo(BODY);
  }

  @Test
  void anUnknownCodingOrABombIsRefused() throws IOException {
    assertThatThrownBy(() -> ContentCoding.decode(coding("br"), BODY, 1000, MEMORY))
        .isInstanceOf(ContentCoding.Unsupported.class);
    assertThatThrownBy(() -> ContentCoding.decode(coding("gzip, gzip"), BODY, 1000, MEMORY))
        .isInstanceOf(ContentCoding.Unsupported.class);
    byte[] bomb = gzip(new byte[10_000_000]);
    assertThat(bomb.length).isLessThan(20_000);
    assertThatThrownBy(() -> ContentCoding.decode(coding("gzip"), bomb, 1_000_000, MEMORY))
        .isInstanceOf(CappedBody.TooLarge.class);
    assertThatThrownBy(() -> ContentCoding.decode(coding("gzip"), BODY, 1000, MEMORY))
        .isInstanceOf(IOException.class);
  }
}
