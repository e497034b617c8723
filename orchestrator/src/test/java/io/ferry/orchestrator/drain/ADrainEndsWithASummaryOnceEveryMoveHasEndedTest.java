package io.ferry.orchestrator.drain;

import static io.ferry.orchestrator.drain.DrainScenario.T0;
import static io.ferry.orchestrator.drain.DrainScenario.move;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.drain.DrainEvent.DrainEnded;
import io.ferry.orchestrator.drain.DrainEvent.MoveRetargeted;
import io.ferry.orchestrator.placement.HostMode;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ADrainEndsWithASummaryOnceEveryMoveHasEndedTest {

    @Test
    void a_failed_move_is_retried_elsewhere_and_a_vm_that_fails_everywhere_is_reported_with_its_reason() {
        // given a drain of hv-01 moving A and B, both submitted
        DrainScenario s = DrainScenario.started("hv-01", move("A", 1, "hv-02"), move("B", 2, "hv-03"));
        UUID a = UUID.randomUUID();
        UUID b1 = UUID.randomUUID();
        s.submitted("A", a);
        s.submitted("B", b1);
        assertThat(s.state().hostMode()).isEqualTo(HostMode.DRAINING);

        // when A completes, B's migration rolls back, B is retried on hv-02 and refused there, and the driver gives up
        s.on(new DrainCommand.MigrationEnded("A", a, "COMPLETED", null, 1000, 900, T0));
        s.on(new DrainCommand.MigrationEnded("B", b1, "ROLLED_BACK", "DATA_CHANNEL_FAILED: link cut", 10, 500, T0));
        assertThat(s.on(new DrainCommand.Retarget("B", "hv-02", "most room", T0)))
                .containsExactly(new MoveRetargeted("B", "hv-02", "most room"));
        s.on(new DrainCommand.Submit("B", T0));
        s.on(new DrainCommand.Refused("B", "INSUFFICIENT_MEMORY: full", T0));
        var last = s.on(new DrainCommand.GiveUp("B", "no other host can take it", T0));

        // then the drain ends INCOMPLETE with a summary naming B's failure, and the host stays closed to new VMs
        assertThat(last.getLast()).isEqualTo(new DrainEnded("INCOMPLETE", 1, 1, 0,
                "1 of 2 VMs moved; B failed: no other host can take it"));
        assertThat(s.state().move("B").orElseThrow().tried()).containsExactly("hv-03", "hv-02");
        assertThat(s.state().hostMode()).isEqualTo(HostMode.DRAINING);
    }

    @Test
    void when_every_vm_moved_the_drain_completes_and_the_host_is_in_maintenance_until_it_is_returned() {
        // given a drain of one VM
        DrainScenario s = DrainScenario.started("hv-01", move("A", 1, "hv-02"));
        UUID a = UUID.randomUUID();
        s.submitted("A", a);

        // when it moved
        var ended = s.on(new DrainCommand.MigrationEnded("A", a, "COMPLETED", null, 1000, 900, T0));

        // then the drain completed and the host is in maintenance
        assertThat(ended.getLast()).isEqualTo(new DrainEnded("COMPLETED", 1, 0, 0, "1 of 1 VMs moved"));
        assertThat(s.state().hostMode()).isEqualTo(HostMode.MAINTENANCE);

        // and undrain returns it
        s.on(new DrainCommand.Return("ops", T0));
        assertThat(s.state().hostMode()).isEqualTo(HostMode.ACTIVE);
    }

    @Test
    void a_host_with_nothing_on_it_is_in_maintenance_at_once() {
        // when an empty host is drained
        DrainScenario s = DrainScenario.started("hv-01");

        // then
        assertThat(s.events().getLast()).isEqualTo(new DrainEnded("COMPLETED", 0, 0, 0, "0 of 0 VMs moved"));
        assertThat(s.state().hostMode()).isEqualTo(HostMode.MAINTENANCE);
    }

    @Test
    void an_outcome_for_another_attempts_migration_changes_nothing() {
        // given B retried after its first migration failed
        DrainScenario s = DrainScenario.started("hv-01", move("B", 1, "hv-02"));
        UUID first = UUID.randomUUID();
        s.submitted("B", first);
        s.on(new DrainCommand.MigrationEnded("B", first, "FAILED", "x", 0, 0, T0));
        s.on(new DrainCommand.Retarget("B", "hv-03", "room", T0));
        UUID second = UUID.randomUUID();
        s.submitted("B", second);

        // when the first migration's end is reported again
        var added = s.on(new DrainCommand.MigrationEnded("B", first, "FAILED", "x", 0, 0, T0));

        // then nothing happens
        assertThat(added).isEmpty();
        assertThat(s.state().move("B").orElseThrow().attempts()).isEqualTo(2);
    }
}
