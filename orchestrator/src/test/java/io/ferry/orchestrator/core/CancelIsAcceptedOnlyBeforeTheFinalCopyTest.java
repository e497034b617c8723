package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Aborted;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.MigrationCommand.Cancel;
import io.ferry.orchestrator.core.MigrationEvent.AbortConfirmed;
import io.ferry.orchestrator.core.MigrationEvent.CancelRefused;
import io.ferry.orchestrator.core.MigrationEvent.CancelRequested;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCancelled;
import java.util.List;
import org.junit.jupiter.api.Test;

class CancelIsAcceptedOnlyBeforeTheFinalCopyTest {

    private static Cancel cancel(long atMillis) {
        return new Cancel("bob", T0.plusMillis(atMillis));
    }

    @Test
    void a_queued_migration_is_cancelled_at_once() {
        // given a request waiting for a slot
        Scenario s = new Scenario().given(Scenario.submit());

        // when an operator cancels it
        List<MigrationEvent> events = s.when(cancel(1));

        // then it ends cancelled without any host being involved
        assertThat(events).containsExactly(new MigrationCancelled("bob", "QUEUED"));
        assertThat(s.state().label()).isEqualTo("CANCELLED");
    }

    @Test
    void a_cancel_in_setup_rolls_back_both_hosts() {
        // given a migration whose skeleton is being created
        Scenario s = Scenario.started();

        // when an operator cancels it
        List<MigrationEvent> events = s.when(cancel(1));

        // then both hosts are told to roll back and the migration is cancelling
        assertThat(events.getFirst()).isEqualTo(new CancelRequested("bob", Stage.SETUP));
        assertThat(Scenario.issued(events)).extracting(i -> i.action() + "@" + i.target())
                .containsExactly("ABORT@hv-02", "ABORT@hv-01");
        assertThat(s.state().label()).isEqualTo("CANCELLING");
    }

    @Test
    void a_cancel_in_precopy_ends_cancelled_once_both_hosts_rolled_back() {
        // given a migration in pre-copy that an operator cancelled
        Scenario s = Scenario.inPrecopy();
        s.given(cancel(3));
        var aborts = Scenario.issued(s.lastStep());

        // when both hosts confirm their rollback
        s.when(report(new Aborted(aborts.get(1).commandId(), SOURCE), 4));
        List<MigrationEvent> last = s.when(report(new Aborted(aborts.get(0).commandId(), DESTINATION), 5));

        // then the migration is cancelled, and it says where the cancel arrived
        assertThat(last).containsExactly(new AbortConfirmed(DESTINATION), new MigrationCancelled("bob", "PRECOPY"));
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Cancelled.class,
                c -> assertThat(c.cancelledIn()).isEqualTo("PRECOPY"));
    }

    @Test
    void a_cancel_after_the_final_copy_began_is_refused_and_recorded() {
        // given a migration whose pre-copy converged (the final copy is under way)
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(), SOURCE, 2, 10, 5), 3));

        // when an operator cancels
        List<MigrationEvent> events = s.when(cancel(4));

        // then the refusal is recorded with who asked and why, no host is told anything, and the stage is unchanged
        assertThat(events).singleElement().isInstanceOfSatisfying(CancelRefused.class, r -> {
            assertThat(r.requestedBy()).isEqualTo("bob");
            assertThat(r.state()).isEqualTo("FINAL_COPY");
            assertThat(r.detail()).contains("final copy has begun");
        });
        assertThat(s.state().label()).isEqualTo("FINAL_COPY");
    }

    @Test
    void cancelling_twice_changes_nothing() {
        // given a cancelling migration
        Scenario s = Scenario.started().given(cancel(1));

        // when the cancel arrives again
        List<MigrationEvent> events = s.when(cancel(2));

        // then nothing more is issued
        assertThat(events).isEmpty();
    }
}
