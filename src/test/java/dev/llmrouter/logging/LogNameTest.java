package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order the request logs were written in, whatever the clock did meanwhile. */
class LogNameTest {

  private static LogName name(String file) {
    return LogName.parse(file);
  }

  @Test
  void aRunsFilesStayInSequenceWhenTheClockWentBack() {
    // The end of daylight saving time: _3 is stamped an hour before _2.
    LogName older = name("router_20261031_120000_bbbbbbbb.jsonl");
    LogName first = name("router_20261101_015000_aaaaaaaa.jsonl");
    LogName second = name("router_20261101_015900_aaaaaaaa_2.jsonl");
    LogName third = name("router_20261101_010900_aaaaaaaa_3.jsonl");
    LogName tenth = name("router_20261101_011000_aaaaaaaa_10.jsonl");

    assertThat(LogName.inWrittenOrder(List.of(tenth, third, older, second, first)))
        .containsExactly(older, first, second, third, tenth);
  }

  @Test
  void runsAreOrderedByTheirEarliestFile() {
    LogName a = name("router_20261101_090000_aaaaaaaa_4.jsonl"); // its first files pruned
    LogName b = name("router_20261101_100000_bbbbbbbb.jsonl");
    LogName b2 = name("router_20261101_080000_bbbbbbbb_2.jsonl"); // b's clock went back

    // b ran at 10:00 and then at 08:00 by its clock: its earliest file puts it first, in sequence.
    assertThat(LogName.inWrittenOrder(List.of(b2, b, a))).containsExactly(b, b2, a);
  }
}
