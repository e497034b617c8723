package io.ferry.orchestrator.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AfterCommitReactorsNeverRunOnRollbackTest {
    private final Counter counter = new Counter();
    private final List<Integer> seenAfterCommit = new ArrayList<>();
    private final Reactor<String, String, Integer> afterCommit = new Reactor<>() {
        @Override
        public void afterCommit(Appended<String, String, Integer> appended) {
            seenAfterCommit.add(appended.after());
        }
    };

    @Test
    void an_append_that_an_in_transaction_reactor_fails_reaches_no_after_commit_reactor() {
        // given an in-transaction reactor that fails
        Reactor<String, String, Integer> failing = new Reactor<>() {
            @Override
            public void inTransaction(Appended<String, String, Integer> appended) {
                throw new IllegalStateException("the read model refused the row");
            }
        };
        var loop = counter.loop(List.of(failing, afterCommit));

        // when an input is decided
        assertThatThrownBy(() -> counter.add(loop, UUID.randomUUID())).hasMessageContaining("refused");

        // then the transaction rolled back and no after-commit reactor ran
        assertThat(counter.transactions.rollbacks).isEqualTo(1);
        assertThat(counter.transactions.commits).isZero();
        assertThat(seenAfterCommit).isEmpty();
    }

    @Test
    void an_attempt_that_lost_a_race_reaches_no_after_commit_reactor_only_the_attempt_that_committed_does() {
        // given another writer that appends just before this loop's first append
        UUID id = UUID.randomUUID();
        counter.beforeAppend = stream -> {
            if (counter.transactions.rollbacks == 0 && counter.streams.isEmpty()) {
                counter.appendElsewhere(stream);
            }
        };
        var loop = counter.loop(List.of(afterCommit));

        // when an input is decided
        Decision<String, Integer> decision = counter.add(loop, id);

        // then the lost attempt rolled back, the retry committed, and the after-commit reactors saw only the retry
        assertThat(counter.transactions.rollbacks).isEqualTo(1);
        assertThat(counter.transactions.commits).isEqualTo(1);
        assertThat(decision.after()).isEqualTo(2);
        assertThat(seenAfterCommit).containsExactly(2);
    }
}
