package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Failed;
import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.SourceStopped;
import io.ferry.orchestrator.core.AgentReport.StorageAcquired;
import io.ferry.orchestrator.core.AgentReport.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.CleanupStepFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCompleted;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AfterResumeTheMigrationOnlyMovesForwardTest {

    /** A migration whose destination resumed the VM at T0 + 7 ms: ANNOUNCE_NETWORK is outstanding. */
    private static Scenario resumed() {
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(), SOURCE, 1, 0, 0), 3));
        s.given(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0, 0, 0, "abc"), 4));
        s.given(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 5));
        s.given(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 6));
        s.given(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null, T0.plusMillis(7), "abc"), 7));
        return s;
    }

    private static Failed announceFailed(Scenario s, long atMillis) {
        return new Failed(s.awaited(StageAction.ANNOUNCE_NETWORK), DESTINATION, FailureReason.AGENT_ERROR, "switch busy");
    }

    @Test
    void a_failed_network_announcement_is_retried_not_rolled_back() {
        // given a resumed VM
        Scenario s = resumed();

        // when the destination reports that announcing the MAC failed
        List<MigrationEvent> events = s.when(report(announceFailed(s, 8), 8));

        // then the step is retried on the destination; nothing is aborted
        assertThat(events.getFirst()).isEqualTo(new CleanupStepFailed(StageAction.ANNOUNCE_NETWORK,
                FailureReason.AGENT_ERROR, "hv-02: switch busy", true));
        assertThat(Scenario.issued(events)).extracting(i -> i.action() + "@" + i.target())
                .containsExactly("ANNOUNCE_NETWORK@hv-02");
        assertThat(s.state().label()).isEqualTo("NETWORK_CLEANUP");
    }

    @Test
    void after_the_last_retry_the_step_is_given_up_and_the_migration_still_completes_with_a_warning() {
        // given a resumed VM whose announcement failed on every retry
        Scenario s = resumed();
        for (int attempt = 0; attempt < Migration.CLEANUP_RETRIES; attempt++) {
            s.given(report(announceFailed(s, 8 + attempt), 8 + attempt));
        }

        // when it fails once more
        List<MigrationEvent> events = s.when(report(announceFailed(s, 20), 20));

        // then ferry stops retrying and issues nothing more (the source's stop went out with the announcement)
        assertThat(events.getFirst()).isInstanceOfSatisfying(CleanupStepFailed.class,
                f -> assertThat(f.retrying()).isFalse());
        assertThat(Scenario.issued(events)).isEmpty();
        // and once the source stopped its copy, the migration completes with the warning kept
        List<MigrationEvent> last = s.when(report(new SourceStopped(s.awaited(StageAction.STOP_SOURCE), SOURCE), 30));
        assertThat(last.getLast()).isInstanceOf(MigrationCompleted.class);
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Completed.class,
                c -> assertThat(c.warnings()).hasSize(Migration.CLEANUP_RETRIES + 1).last().asString().contains("gave up"));
    }

    @Test
    void a_stalled_step_after_resume_is_retried_when_the_progress_timeout_passes() {
        // given a resumed VM whose announcement is never answered
        Scenario s = resumed();
        var first = s.awaited(StageAction.ANNOUNCE_NETWORK);

        // when the progress timeout passes (a destination that is unreachable does not change that: the VM runs there)
        List<MigrationEvent> events = s.when(new MigrationCommand.Tick(Set.of(DESTINATION), T0.plus(Duration.ofSeconds(151))));

        // then the announcement is issued again under a new command id, and the migration is not failed
        assertThat(events.getFirst()).isInstanceOfSatisfying(CleanupStepFailed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.PROGRESS_TIMEOUT));
        assertThat(s.awaited(StageAction.ANNOUNCE_NETWORK)).isNotEqualTo(first);
        assertThat(s.state().label()).isEqualTo("NETWORK_CLEANUP");
    }
}
