package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void ledgersShareTheBudgetAndGiveEverythingBackAtClose() {
    MemoryBudget budget = new MemoryBudget(100);
    MemoryBudget.Ledger a = budget.ledger();
    MemoryBudget.Ledger b = budget.ledger();

    assertThat(a.reserve(60)).isTrue();
    assertThat(b.reserve(50)).as("past the budget").isFalse();
    assertThat(b.reserve(40)).isTrue();
    assertThat(budget.used()).isEqualTo(100);

    a.release(20);
    assertThat(budget.used()).isEqualTo(80);
    a.close();
    a.close();
    assertThat(budget.used()).isEqualTo(40);
    assertThat(a.reserve(1)).as("a closed ledger takes nothing").isFalse();
    b.release(1_000); // never gives back more than it holds
    assertThat(budget.used()).isZero();
    assertThat(b.held()).isZero();
  }
}
