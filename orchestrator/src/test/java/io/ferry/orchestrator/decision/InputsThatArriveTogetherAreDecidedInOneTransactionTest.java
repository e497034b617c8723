package io.ferry.orchestrator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An agent's outcomes of one migration arrive together; deciding them costs one transaction: each input is decided
 * on the state the previous one left, appended at the next version, and seen by the reactors, all in one commit.
 */
class InputsThatArriveTogetherAreDecidedInOneTransactionTest {
    private final Counter counter = new Counter();
    private final List<String> seen = new ArrayList<>();
    private final Reactor<String, String, Integer> reactor = new Reactor<>() {
        @Override
        public void inTransaction(Appended<String, String, Integer> a) {
            seen.add("in:" + a.versionBefore() + "->" + a.after() + " commits " + counter.transactions.commits);
        }

        @Override
        public void afterCommit(Appended<String, String, Integer> a) {
            seen.add("after:" + a.after() + " commits " + counter.transactions.commits);
        }
    };
    private final DecisionLoop<String, String, Integer> loop = counter.loop(List.of(reactor));

    private static List<DecisionLoop.Input<String>> three() {
        return List.of(1, 2, 3).stream().map(i -> new DecisionLoop.Input<>("add",
                new EventMetadata("test", "cause-" + i, null, Instant.EPOCH), Optional.<DedupKey>empty())).toList();
    }

    @Test
    void three_inputs_append_three_versions_in_one_commit_each_seen_by_the_reactors() {
        // given a stream with nothing in it
        UUID id = UUID.randomUUID();

        // when three inputs are decided together
        List<Decision<String, Integer>> decisions = loop.decideAll(id, three());

        // then each was decided on the state the one before left, in one commit, the reactors seeing each in order
        assertThat(decisions).extracting(Decision::before).containsExactly(0, 1, 2);
        assertThat(decisions).extracting(Decision::after).containsExactly(1, 2, 3);
        assertThat(counter.streams.get(id)).hasSize(3);
        assertThat(counter.transactions.commits).isEqualTo(1);
        assertThat(seen).containsExactly("in:0->1 commits 0", "in:1->2 commits 0", "in:2->3 commits 0",
                "after:1 commits 1", "after:2 commits 1", "after:3 commits 1");
    }

    @Test
    void a_racing_writer_makes_the_whole_batch_be_decided_again_on_what_it_wrote() {
        // given another writer that appends once, just before the batch's first append
        UUID id = UUID.randomUUID();
        boolean[] raced = {false};
        counter.beforeAppend = stream -> {
            if (!raced[0]) {
                raced[0] = true;
                counter.appendElsewhere(stream);
            }
        };

        // when three inputs are decided together
        List<Decision<String, Integer>> decisions = loop.decideAll(id, three());

        // then the first attempt rolled back and the second decided all three after the other writer's event
        assertThat(counter.transactions.rollbacks).isEqualTo(1);
        assertThat(counter.transactions.commits).isEqualTo(1);
        assertThat(decisions).extracting(Decision::after).containsExactly(2, 3, 4);
        assertThat(counter.streams.get(id)).hasSize(4);
    }
}
