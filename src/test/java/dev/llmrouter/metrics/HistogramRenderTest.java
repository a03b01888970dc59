package dev.llmrouter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A histogram scraped while requests finish: every scrape is one the format allows. */
class HistogramRenderTest {

  private static final Pattern INF =
      Pattern.compile(
          "llm_router_request_duration_seconds_bucket\\{endpoint=\"openai\",le=\"\\+Inf\"} (\\d+)");
  private static final Pattern COUNT =
      Pattern.compile("llm_router_request_duration_seconds_count\\{endpoint=\"openai\"} (\\d+)");
  private static final Pattern BUCKET =
      Pattern.compile(
          "llm_router_request_duration_seconds_bucket\\{endpoint=\"openai\",le=\"[0-9.]+\"} (\\d+)");

  @Test
  void plusInfEqualsTheCountAndNoBucketFallsBehindAnotherInEveryScrape() throws Exception {
    Metrics metrics = new Metrics();
    metrics.request("openai", "chat", 200, List.of(), 1_000, -1); // the series exists
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        writers.add(
            pool.submit(
                () -> {
                  for (long i = 0; !done.get(); i++) {
                    metrics.request("openai", "chat", 200, List.of(), i % 2_000_000, -1);
                  }
                }));
      }
      for (int scrape = 0; scrape < 3_000; scrape++) {
        String text = metrics.render(0, List.of());
        long inf = value(INF, text);
        assertThat(value(COUNT, text)).as("scrape %d", scrape).isEqualTo(inf);
        long previous = 0;
        Matcher m = BUCKET.matcher(text);
        while (m.find()) {
          long bucket = Long.parseLong(m.group(1));
          assertThat(bucket).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(inf);
          previous = bucket;
        }
      }
      done.set(true);
      for (Future<?> w : writers) {
        w.get(10, TimeUnit.SECONDS);
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }

  private static long value(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as(p.pattern()).isTrue();
    return Long.parseLong(m.group(1));
  }
}
