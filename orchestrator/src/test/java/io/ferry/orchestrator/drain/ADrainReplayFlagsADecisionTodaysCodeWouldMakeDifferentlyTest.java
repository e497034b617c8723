package io.ferry.orchestrator.drain;

import static io.ferry.orchestrator.drain.DrainScenario.T0;
import static io.ferry.orchestrator.drain.DrainScenario.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.decision.Decider;
import io.ferry.orchestrator.decision.Recorded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ADrainReplayFlagsADecisionTodaysCodeWouldMakeDifferentlyTest {
    private final List<Recorded<DrainEvent>> events = new ArrayList<>();
    private final List<DrainReplayer.Input> inputs = new ArrayList<>();
    private final Drain drain = new Drain();
    private DrainState state = DrainState.NONE;

    private void record(DrainCommand command) {
        inputs.add(new DrainReplayer.Input(events.size(), command, "ops"));
        for (DrainEvent e : drain.decide(command, state)) {
            state = drain.evolve(state, e, T0);
            events.add(new Recorded<>(events.size() + 1, UUID.randomUUID(), UUID.randomUUID(), events.size() + 1,
                    e.getClass().getSimpleName(), e, "{}", null, "host", "ops", Instant.EPOCH));
        }
    }

    @Test
    void the_recorded_drain_replays_clean_and_a_changed_rule_is_named_at_the_input_it_changes() {
        // given a recorded drain of one VM that moved
        UUID a = UUID.randomUUID();
        record(new DrainCommand.Start("hv-01", List.of(move("A", 1, "hv-02")), "LARGEST_FIRST", null, 1000, "ops", T0));
        record(new DrainCommand.Submit("A", T0));
        record(new DrainCommand.Submitted("A", a, T0));
        record(new DrainCommand.MigrationEnded("A", a, "COMPLETED", null, 1, 1, T0));

        // when it is replayed with today's code
        DrainReplayer.Report today = DrainReplayer.replay(events, inputs, null, drain);

        // then it is consistent and ends as recorded
        assertThat(today.consistent()).isTrue();
        assertThat(today.finalStatus()).isEqualTo("COMPLETED");
        assertThat(today.steps()).extracting(DrainReplayer.Step::hostMode).last().isEqualTo("MAINTENANCE");

        // when a changed rule (a completed move counts as failed) replays it
        Decider<DrainCommand, DrainEvent, DrainState> changed = new Decider<>() {
            public DrainState initial() {
                return drain.initial();
            }

            public List<DrainEvent> decide(DrainCommand c, DrainState s) {
                return drain.decide(c instanceof DrainCommand.MigrationEnded e ? new DrainCommand.MigrationEnded(e.vmId(),
                        e.migrationId(), "FAILED", "changed", 0, 0, e.at()) : c, s);
            }

            public DrainState evolve(DrainState s, DrainEvent e, Instant at) {
                return drain.evolve(s, e, at);
            }
        };
        DrainReplayer.Report report = DrainReplayer.replay(events, inputs, null, changed);

        // then the divergence is named at the input that changed
        assertThat(report.consistent()).isFalse();
        assertThat(report.divergences()).singleElement().satisfies(d -> {
            assertThat(d.afterVersion()).isEqualTo(3);
            assertThat(d.recorded().getFirst()).startsWith("MoveCompleted");
            assertThat(d.decided().getFirst()).startsWith("MoveFailed");
        });
    }
}
