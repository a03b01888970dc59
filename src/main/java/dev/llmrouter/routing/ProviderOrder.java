package dev.llmrouter.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The order one request tries its providers in: strictly by priority, and within one priority a
 * weighted rotation, so two keys at priority 1 share the load and double the rate-limit headroom.
 * Providers in cooldown are skipped later, by the walk, so the rotation spreads over the rest.
 */
final class ProviderOrder {

  /**
   * One counter per group of equal priority, keyed by its providers' names. Keyed by the first
   * provider alone, groups that start with the same one shared a counter: with p1 and p2 serving
   * model A, p1 and p3 model B, and traffic alternating A, B, A's requests saw only even turns and
   * p2 was never first.
   */
  private final Map<Long, AtomicLong> counters = new ConcurrentHashMap<>();

  /** The targets (already sorted by priority) in the order this request should try them. */
  List<Target> arrange(List<Target> byPriority) {
    if (!hasTie(byPriority)) {
      return byPriority; // the common case costs nothing
    }
    List<Target> out = new ArrayList<>(byPriority.size());
    int start = 0;
    while (start < byPriority.size()) {
      int end = start + 1;
      while (end < byPriority.size() && priority(byPriority, end) == priority(byPriority, start)) {
        end++;
      }
      rotate(byPriority.subList(start, end), out);
      start = end;
    }
    return out;
  }

  /**
   * Puts the group in {@code out} in this request's order: the first by the group's weighted turn,
   * and the rest in turn the same way, each place by the turns of what is left. When the first is
   * cooling down, the walk then gives its turns to the others by their weights: with a cyclic
   * order, a cooling provider of weight 3 before two of weight 1 would hand all its share to the
   * one after it in the file.
   */
  private void rotate(List<Target> group, List<Target> out) {
    int from = out.size();
    out.addAll(group);
    for (int i = from; i < out.size() - 1; i++) {
      List<Target> left = out.subList(i, out.size());
      Collections.rotate(left, -turn(left)); // its turn first, the rest after it as they were
    }
  }

  /** The index in {@code group} whose weighted turn this is. */
  private int turn(List<Target> group) {
    int total = 0;
    for (Target t : group) {
      total += t.provider().weight();
    }
    long key = group.size();
    for (Target t : group) {
      key = key * 1_000_003 + t.provider().name().hashCode(); // names are unique per endpoint
    }
    long turn = counters.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
    long slot = Math.floorMod(turn, total);
    for (int i = 0; i < group.size(); i++) {
      slot -= group.get(i).provider().weight();
      if (slot < 0) {
        return i;
      }
    }
    return 0;
  }

  private static int priority(List<Target> targets, int i) {
    return targets.get(i).provider().priority();
  }

  private static boolean hasTie(List<Target> targets) {
    for (int i = 1; i < targets.size(); i++) {
      if (priority(targets, i) == priority(targets, i - 1)) {
        return true;
      }
    }
    return false;
  }
}
