package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.NetworkAnnounced;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.SourceStopped;
import io.ferry.orchestrator.core.AgentReport.StorageAcquired;
import io.ferry.orchestrator.core.AgentReport.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCompleted;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The announcement (destination) and the source's stop run at once; either may answer first, even before the resume. */
class StageSixCompletesWhicheverStepAnswersLastTest {

    private static Scenario resumed() {
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(StageAction.START_PRECOPY), SOURCE, 1, 0, 0), 3));
        s.given(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0, 0, 0, "abc"), 4));
        s.given(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 5));
        s.given(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 6));
        s.given(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null, T0.plusMillis(7), "abc"), 7));
        return s;
    }

    @Test
    void the_source_stopping_first_waits_for_the_announcement_then_completes() {
        // given a resumed VM, both cleanup steps issued
        Scenario s = resumed();

        // when the source reports its copy stopped before the destination's announcement
        List<MigrationEvent> stopped = s.when(report(new SourceStopped(s.awaited(StageAction.STOP_SOURCE), SOURCE), 8));

        // then that is recorded alone, and the migration completes with the announcement
        assertThat(stopped).singleElement().isInstanceOf(MigrationEvent.SourceStopped.class);
        assertThat(s.state().label()).isEqualTo("NETWORK_CLEANUP");
        List<MigrationEvent> announced = s.when(report(new NetworkAnnounced(s.awaited(StageAction.ANNOUNCE_NETWORK),
                DESTINATION, "00:15:5d:00:00:02"), 9));
        assertThat(announced).hasSize(2).last().isInstanceOf(MigrationCompleted.class);
        assertThat(s.state().label()).isEqualTo("COMPLETED");
    }

    @Test
    void the_source_stopping_before_the_resume_is_consumed_completes_with_the_announcement() {
        // given a switchover issued with stage 6, the source's part reported
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(StageAction.START_PRECOPY), SOURCE, 1, 0, 0), 3));
        s.given(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0, 0, 0, "abc"), 4));
        s.given(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 5));

        // when the source's stop (after the lease said the destination runs the guest) is consumed before the
        // destination's outcomes
        List<MigrationEvent> stopped = s.when(report(new SourceStopped(s.awaited(StageAction.STOP_SOURCE), SOURCE), 6));
        s.when(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 7));
        List<MigrationEvent> resumed = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null,
                T0.plusMillis(7), "abc"), 8));

        // then each is recorded, nothing is issued again, and the announcement completes the migration
        assertThat(stopped).singleElement().isInstanceOf(MigrationEvent.SourceStopped.class);
        assertThat(resumed).singleElement().isInstanceOf(MigrationEvent.VmResumed.class);
        List<MigrationEvent> announced = s.when(report(new NetworkAnnounced(s.awaited(StageAction.ANNOUNCE_NETWORK),
                DESTINATION, "00:15:5d:00:00:02"), 9));
        assertThat(announced).hasSize(2).last().isInstanceOf(MigrationCompleted.class);
    }

    @Test
    void the_announcement_first_waits_for_the_source_then_completes() {
        Scenario s = resumed();

        List<MigrationEvent> announced = s.when(report(new NetworkAnnounced(s.awaited(StageAction.ANNOUNCE_NETWORK),
                DESTINATION, "00:15:5d:00:00:02"), 8));

        assertThat(announced).singleElement().isInstanceOf(MigrationEvent.NetworkAnnounced.class);
        List<MigrationEvent> stopped = s.when(report(new SourceStopped(s.awaited(StageAction.STOP_SOURCE), SOURCE), 9));
        assertThat(stopped).hasSize(2).last().isInstanceOf(MigrationCompleted.class);
    }
}
