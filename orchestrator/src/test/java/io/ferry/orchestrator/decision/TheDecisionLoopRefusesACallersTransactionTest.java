package io.ferry.orchestrator.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

class TheDecisionLoopRefusesACallersTransactionTest {
    private final Counter counter = new Counter();
    private final DecisionLoop<String, String, Integer> loop = counter.loop(List.of());

    @Test
    void an_input_decided_inside_a_callers_transaction_is_refused_before_anything_is_read_or_appended() {
        // given a caller that has opened a transaction
        UUID id = UUID.randomUUID();
        TransactionTemplate callers = new TransactionTemplate(counter.transactions);

        // when it decides an input inside it
        // then the loop refuses, saying why, and the stream is untouched
        assertThatThrownBy(() -> callers.executeWithoutResult(status -> counter.add(loop, id)))
                .isInstanceOf(IllegalTransactionStateException.class).hasMessageContaining("aborted");
        assertThat(counter.streams).doesNotContainKey(id);
    }

    @Test
    void the_same_input_outside_a_transaction_is_decided_in_one_of_the_loops_own() {
        // given no transaction
        UUID id = UUID.randomUUID();

        // when the input is decided
        Decision<String, Integer> decision = counter.add(loop, id);

        // then it was appended, and committed in a transaction the loop opened
        assertThat(decision.added()).hasSize(1);
        assertThat(counter.transactions.commits).isEqualTo(1);
    }
}
