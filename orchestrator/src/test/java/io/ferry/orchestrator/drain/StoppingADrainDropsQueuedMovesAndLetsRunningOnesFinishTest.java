package io.ferry.orchestrator.drain;

import static io.ferry.orchestrator.drain.DrainScenario.T0;
import static io.ferry.orchestrator.drain.DrainScenario.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.drain.DrainEvent.DrainEnded;
import io.ferry.orchestrator.drain.DrainEvent.MoveAbandoned;
import io.ferry.orchestrator.drain.DrainState.MoveStatus;
import io.ferry.orchestrator.placement.HostMode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StoppingADrainDropsQueuedMovesAndLetsRunningOnesFinishTest {

    @Test
    void a_stopped_drain_submits_nothing_more_waits_for_the_running_move_and_returns_the_host() {
        // given a drain with A running and B not yet submitted
        DrainScenario s = DrainScenario.started("hv-01", move("A", 1, "hv-02"), move("B", 2, "hv-02"));
        UUID a = UUID.randomUUID();
        s.submitted("A", a);

        // when the operator stops it
        var stopped = s.on(new DrainCommand.Cancel("ops", false, T0));

        // then B is dropped with why, A keeps running, and B can no longer be submitted
        assertThat(stopped).contains(new MoveAbandoned("B", "the drain was stopped by ops before this VM's move began"));
        assertThat(s.state().move("A").orElseThrow().status()).isEqualTo(MoveStatus.SUBMITTED);
        assertThat(s.on(new DrainCommand.Submit("B", T0))).isEmpty();

        // and when A finishes, the drain ends CANCELLED and the host takes VMs again
        var ended = s.on(new DrainCommand.MigrationEnded("A", a, "COMPLETED", null, 1, 1, T0));
        assertThat(ended.getLast()).isEqualTo(new DrainEnded("CANCELLED", 1, 0, 1,
                "1 of 2 VMs moved; B left: the drain was stopped by ops before this VM's move began"));
        assertThat(s.state().hostMode()).isEqualTo(HostMode.ACTIVE);
    }

    @Test
    void a_move_whose_migration_the_stop_cancelled_is_left_not_retried_elsewhere() {
        // given a stopped drain whose move A was still queued as a migration
        DrainScenario s = DrainScenario.started("hv-01", move("A", 1, "hv-02"));
        UUID a = UUID.randomUUID();
        s.submitted("A", a);
        s.on(new DrainCommand.Cancel("ops", false, T0));

        // when that migration ends CANCELLED (the driver cancelled it in the queue)
        var added = s.on(new DrainCommand.MigrationEnded("A", a, "CANCELLED", null, 0, 0, T0));

        // then A is left, not failed, and the drain ends
        assertThat(added.getFirst()).isEqualTo(new MoveAbandoned("A",
                "the drain was stopped by ops; migration to hv-02 ended CANCELLED"));
        assertThat(s.state().move("A").orElseThrow().failed()).isFalse();
        assertThat(added.getLast()).isEqualTo(new DrainEnded("CANCELLED", 0, 0, 1,
                "0 of 1 VMs moved; A left: the drain was stopped by ops; migration to hv-02 ended CANCELLED"));
    }

    @Test
    void a_stop_between_a_moves_intent_and_its_migration_still_learns_of_that_migration_and_waits_for_it() {
        // given the driver recorded its intent to request A's migration
        DrainScenario s = DrainScenario.started("hv-01", move("A", 1, "hv-02"));
        s.on(new DrainCommand.Submit("A", T0));

        // when the drain is stopped before the driver records the migration it made
        s.on(new DrainCommand.Cancel("ops", false, T0));

        // then A is not dropped: the drain waits, takes the migration, and A is left once that migration is cancelled
        assertThat(s.state().move("A").orElseThrow().status()).isEqualTo(MoveStatus.SUBMITTING);
        assertThat(s.state().draining()).isTrue();
        UUID a = UUID.randomUUID();
        assertThat(s.on(new DrainCommand.Submitted("A", a, T0))).hasSize(1);
        var ended = s.on(new DrainCommand.MigrationEnded("A", a, "CANCELLED", null, 0, 0, T0));
        assertThat(ended.getLast()).isInstanceOf(DrainEnded.class);
        assertThat(s.state().status()).isEqualTo(DrainState.Status.CANCELLED);
    }

    @Test
    void undrain_during_a_drain_stops_it_and_returns_the_host_at_once() {
        // given a drain with A queued as a migration
        DrainScenario s = DrainScenario.started("hv-01", move("A", 1, "hv-02"), move("B", 2, "hv-03"));
        s.submitted("A", UUID.randomUUID());

        // when the host is undrained
        s.on(new DrainCommand.Return("ops", T0));

        // then nothing more is submitted and the host is ACTIVE though A's migration has not ended yet
        assertThat(s.state().cancelling()).isTrue();
        assertThat(s.state().hostMode()).isEqualTo(HostMode.ACTIVE);
        assertThat(s.state().draining()).isTrue();
    }
}
