package dev.llmrouter.server;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list as Anthropic's list endpoints give it: {@code limit} items (1..1000, default
 * all: the router's lists are short), after {@code after_id} or before {@code before_id}, and
 * whether more lie beyond the page in that direction ({@code has_more}; the SDKs' auto-paging asks
 * for the page after {@code last_id} while it is true).
 */
record AnthropicPage<T>(List<T> items, boolean hasMore) {

  /** The page {@code rawQuery} asks for (its {@code limit} checked by {@link #refusal}). */
  static <T> AnthropicPage<T> of(List<T> all, Function<T, String> id, String rawQuery) {
    String after = Route.queryParam(rawQuery, "after_id");
    String before = Route.queryParam(rawQuery, "before_id");
    int limit = limit(Route.queryParam(rawQuery, "limit"), all.size());
    int start = 0;
    int end = all.size();
    if (after != null) {
      start = indexOf(all, id, after) + 1; // an unknown id: past the end, an empty page
      if (start == 0) {
        start = all.size();
      }
    }
    if (before != null) {
      int at = indexOf(all, id, before);
      end = at < 0 ? 0 : at;
    }
    if (start >= end) {
      return new AnthropicPage<>(List.of(), false);
    }
    if (before != null && after == null) {
      // Paging backwards: the items right before before_id.
      int from = Math.max(start, end - limit);
      return new AnthropicPage<>(all.subList(from, end), from > start);
    }
    int to = Math.min(end, start + limit);
    return new AnthropicPage<>(all.subList(start, to), to < end);
  }

  private static <T> int indexOf(List<T> all, Function<T, String> id, String wanted) {
    for (int i = 0; i < all.size(); i++) {
      if (id.apply(all.get(i)).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  /** Why Anthropic would refuse the query's {@code limit} (400), or null when it takes it. */
  static String refusal(String rawQuery) {
    String value = Route.queryParam(rawQuery, "limit");
    return value == null || limitOf(value) > 0
        ? null
        : "limit: must be a whole number from 1 to 1000.";
  }

  /** The page size asked for: all by default; {@link #refusal} has checked any other value. */
  private static int limit(String value, int all) {
    return value == null ? Math.max(all, 1) : Math.max(limitOf(value), 1);
  }

  /** {@code limit} as Anthropic takes it, 1 to 1000; 0 for anything else. */
  private static int limitOf(String value) {
    try {
      int n = Integer.parseInt(value);
      return n >= 1 && n <= 1000 ? n : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
