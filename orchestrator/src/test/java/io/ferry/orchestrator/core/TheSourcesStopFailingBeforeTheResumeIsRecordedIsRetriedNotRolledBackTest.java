package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Failed;
import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.NetworkAnnounced;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.StorageAcquired;
import io.ferry.orchestrator.core.AgentReport.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.CleanupStepFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCompleted;
import io.ferry.schema.common.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stage 6 goes out with the switchover, and the two hosts' outcomes are not ordered: the source may report its stop
 * failed (its self-check found a lost write) after the destination runs the guest but before that resume is consumed.
 * Such a failure belongs to stage 6: it is retried, never rolled back, since the guest may already run elsewhere.
 */
class TheSourcesStopFailingBeforeTheResumeIsRecordedIsRetriedNotRolledBackTest {

    @Test
    void the_failure_is_retried_on_the_source_and_the_migration_completes_once_the_resume_and_the_steps_are_in() {
        // given a switchover issued with stage 6, the source's final copy and release recorded
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(), SOURCE, 1, 0, 0), 3));
        s.given(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0, 0, 0, "abc"), 4));
        s.given(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 5));
        var firstStop = s.awaited(StageAction.STOP_SOURCE);

        // when the source's stop fails before the destination's outcomes are consumed
        List<MigrationEvent> failed = s.when(report(new Failed(firstStop, SOURCE, FailureReason.MEMORY_MISMATCH,
                "3 pages differ from what was sent"), 6));

        // then it is a stage-6 retry on the source, not a rollback
        assertThat(failed.getFirst()).isEqualTo(new CleanupStepFailed(StageAction.STOP_SOURCE, FailureReason.MEMORY_MISMATCH,
                "hv-01: 3 pages differ from what was sent", true));
        assertThat(Scenario.issued(failed)).extracting(i -> i.action() + "@" + i.target()).containsExactly("STOP_SOURCE@hv-01");
        assertThat(s.state()).isInstanceOf(MigrationState.Active.class);

        // and when the destination's resume and announcement and the retried stop come in, it completes with a warning
        s.when(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 7));
        List<MigrationEvent> resumed = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null,
                T0.plusMillis(8), "abc"), 8));
        assertThat(Scenario.issued(resumed)).isEmpty();
        s.when(report(new NetworkAnnounced(s.awaited(StageAction.ANNOUNCE_NETWORK), DESTINATION, "00:15:5d:00:00:02"), 9));
        assertThat(s.awaited(StageAction.STOP_SOURCE)).isNotEqualTo(firstStop);
        List<MigrationEvent> last = s.when(report(new AgentReport.SourceStopped(s.awaited(StageAction.STOP_SOURCE), SOURCE), 10));
        assertThat(last).last().isInstanceOf(MigrationCompleted.class);
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Completed.class,
                c -> assertThat(c.warnings()).singleElement().asString().contains("STOP_SOURCE failed (MEMORY_MISMATCH)"));
    }
}
