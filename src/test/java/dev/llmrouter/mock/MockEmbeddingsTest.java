package dev.llmrouter.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code POST /v1/embeddings} of the mock over a real socket (PROTOCOLS.md 7.1). */
class MockEmbeddingsTest {

  @Test
  void oneUnitVectorPerInputInOrderTheSameForTheSameInput() {
    try (MockClient mock = MockClient.start("ok")) {
      JsonNode body =
          mock.postOk(
              "/v1/embeddings",
              "{\"model\":\"text-embedding-3-small\",\"input\":[\"alpha\",\"beta\",\"alpha\"],"
                  + "\"encoding_format\":\"float\"}");
      assertThat(body.path("object").asString()).isEqualTo("list");
      assertThat(body.path("model").asString()).isEqualTo("text-embedding-3-small");
      JsonNode data = body.path("data");
      assertThat(data).hasSize(3);
      for (int i = 0; i < 3; i++) {
        JsonNode entry = data.path(i);
        assertThat(entry.path("object").asString()).isEqualTo("embedding");
        assertThat(entry.path("index").asInt()).isEqualTo(i);
        float[] v = floats(entry.path("embedding"));
        assertThat(v).hasSize(MockEmbeddings.DEFAULT_DIMENSIONS);
        assertThat(norm(v)).isCloseTo(1.0, within(1e-4));
      }
      assertThat(floats(data.path(0).path("embedding")))
          .containsExactly(floats(data.path(2).path("embedding")));
      assertThat(floats(data.path(0).path("embedding")))
          .isNotEqualTo(floats(data.path(1).path("embedding")));
      JsonNode usage = body.path("usage");
      assertThat(usage.path("prompt_tokens").asInt()).isPositive();
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("prompt_tokens").asInt());
      assertThat(usage.has("completion_tokens")).isFalse();
    }
  }

  @Test
  void base64IsTheLittleEndianFloat32sOfTheSameVector() {
    try (MockClient mock = MockClient.start("ok")) {
      String request =
          "{\"model\":\"text-embedding-3-small\",\"input\":\"Hello\",\"dimensions\":256";
      JsonNode asFloats = mock.postOk("/v1/embeddings", request + "}");
      // What both official SDKs send when the caller names no format.
      JsonNode asBase64 = mock.postOk("/embeddings", request + ",\"encoding_format\":\"base64\"}");
      JsonNode encoded = asBase64.path("data").path(0).path("embedding");
      assertThat(encoded.isString()).isTrue();
      FloatBuffer decoded =
          ByteBuffer.wrap(Base64.getDecoder().decode(encoded.asString()))
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer();
      float[] fromBase64 = new float[decoded.remaining()];
      decoded.get(fromBase64);
      assertThat(fromBase64).hasSize(256);
      assertThat(fromBase64)
          .containsExactly(floats(asFloats.path("data").path(0).path("embedding")));
    }
  }

  @Test
  void tokenArraysAreInputsToo() {
    try (MockClient mock = MockClient.start("ok")) {
      JsonNode one = mock.postOk("/v1/embeddings", "{\"model\":\"m\",\"input\":[15496,11,995]}");
      assertThat(one.path("data")).hasSize(1);
      assertThat(one.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
      JsonNode two = mock.postOk("/v1/embeddings", "{\"model\":\"m\",\"input\":[[1,2],[3]]}");
      assertThat(two.path("data")).hasSize(2);
    }
  }

  @Test
  void malformedRequestsAreCallerFaultsNamingTheField() {
    try (MockClient mock = MockClient.start("ok")) {
      assertInvalid(mock.post("/v1/embeddings", "{\"model\":\"m\"}"), "input");
      assertInvalid(mock.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"\"}"), "input");
      assertInvalid(mock.post("/v1/embeddings", "{\"model\":\"m\",\"input\":[\"a\",7]}"), "input");
      assertInvalid(
          mock.post("/v1/embeddings", "{\"model\":\"m\",\"input\":\"a\",\"dimensions\":0}"),
          "dimensions");
      assertInvalid(
          mock.post(
              "/v1/embeddings", "{\"model\":\"m\",\"input\":\"a\",\"encoding_format\":\"x\"}"),
          "encoding_format");
    }
  }

  private static void assertInvalid(HttpResponse<String> r, String param) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = MockClient.json(r.body()).path("error");
    assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asString()).isEqualTo(param);
  }

  private static float[] floats(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = array.path(i).floatValue();
    }
    return v;
  }

  private static double norm(float[] v) {
    double sum = 0;
    for (float f : v) {
      sum += (double) f * f;
    }
    return Math.sqrt(sum);
  }
}
