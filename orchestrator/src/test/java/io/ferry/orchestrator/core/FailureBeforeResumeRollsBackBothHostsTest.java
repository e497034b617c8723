package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Aborted;
import io.ferry.orchestrator.core.AgentReport.Failed;
import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.SkeletonReady;
import io.ferry.orchestrator.core.AgentReport.StorageAcquired;
import io.ferry.orchestrator.core.AgentReport.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.AbortConfirmed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRolledBack;
import io.ferry.schema.common.FailureReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureBeforeResumeRollsBackBothHostsTest {

    @Test
    void a_data_channel_failure_in_precopy_fails_the_migration_and_aborts_on_both_hosts() {
        // given a migration in pre-copy
        Scenario s = Scenario.inPrecopy();

        // when the source reports that the data channel broke
        List<MigrationEvent> events = s.when(report(
                new Failed(s.awaited(), SOURCE, FailureReason.DATA_CHANNEL_FAILED, "connection reset"), 3));

        // then the failure is recorded with its stage and reason, and both hosts roll back
        assertThat(events.getFirst()).isEqualTo(new MigrationFailed(Stage.PRECOPY, FailureReason.DATA_CHANNEL_FAILED,
                "hv-01: connection reset"));
        assertThat(Scenario.issued(events)).extracting(i -> i.action() + "@" + i.target())
                .containsExactly("ABORT@hv-02", "ABORT@hv-01");
        assertThat(s.state().label()).isEqualTo("ROLLING_BACK");
    }

    @Test
    void the_migration_is_rolled_back_once_both_hosts_confirm() {
        // given a migration rolling back after a pre-copy failure
        Scenario s = Scenario.inPrecopy();
        s.given(report(new Failed(s.awaited(), SOURCE, FailureReason.DATA_CHANNEL_FAILED, "connection reset"), 3));
        var abortDestination = Scenario.issued(s.lastStep()).get(0).commandId();
        var abortSource = Scenario.issued(s.lastStep()).get(1).commandId();

        // when the destination confirms, then the source
        List<MigrationEvent> first = s.when(report(new Aborted(abortDestination, DESTINATION), 4));
        List<MigrationEvent> second = s.when(report(new Aborted(abortSource, SOURCE), 5));

        // then the rollback ends only with the source's confirmation, keeping the failure's stage, reason and detail
        assertThat(first).containsExactly(new AbortConfirmed(DESTINATION));
        assertThat(second).containsExactly(new AbortConfirmed(SOURCE), new MigrationRolledBack(""));
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.RolledBack.class, r -> {
            assertThat(r.stage()).isEqualTo(Stage.PRECOPY);
            assertThat(r.reason()).isEqualTo(FailureReason.DATA_CHANNEL_FAILED);
            assertThat(r.detail()).isEqualTo("hv-01: connection reset");
        });
    }

    @Test
    void a_source_that_cannot_confirm_leaves_the_migration_failed() {
        // given a migration rolling back whose destination confirmed
        Scenario s = Scenario.inPrecopy();
        s.given(report(new Failed(s.awaited(), SOURCE, FailureReason.DATA_CHANNEL_FAILED, "connection reset"), 3));
        var abortDestination = Scenario.issued(s.lastStep()).get(0).commandId();
        var abortSource = Scenario.issued(s.lastStep()).get(1).commandId();
        s.given(report(new Aborted(abortDestination, DESTINATION), 4));

        // when the source's rollback fails
        List<MigrationEvent> events = s.when(report(new Failed(abortSource, SOURCE, FailureReason.STORAGE_HANDOFF_FAILED,
                "lease held by hv-02"), 5));

        // then ferry does not claim the VM is safe on the source
        assertThat(events.getLast()).isInstanceOf(MigrationEvent.RollbackIncomplete.class);
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Failed.class, f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.DATA_CHANNEL_FAILED);
            assertThat(f.detail()).contains("rollback incomplete").contains("lease held by hv-02");
        });
    }

    @Test
    void a_destination_whose_memory_differs_from_the_source_is_not_accepted() {
        // given a migration about to resume, whose source reported checksum "abc" at pause
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(), SOURCE, 1, 0, 0), 3));
        s.given(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0, 0, 0, "abc"), 4));
        s.given(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 5));
        s.given(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 6));

        // when the destination resumes with different memory
        List<MigrationEvent> events = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null,
                T0.plusMillis(7), "xyz"), 7));

        // then the migration fails as a memory mismatch and rolls back
        assertThat(events.getFirst()).isInstanceOfSatisfying(MigrationFailed.class,
                f -> assertThat(f.reason()).isEqualTo(FailureReason.MEMORY_MISMATCH));
        assertThat(Scenario.issued(events)).hasSize(2);
    }

    @Test
    void outcomes_arriving_after_the_failure_change_nothing() {
        // given a failed migration
        Scenario s = Scenario.started();
        var skeletonCommand = s.awaited();
        s.given(report(new Failed(skeletonCommand, DESTINATION, FailureReason.SKELETON_FAILED, "no memory"), 1));

        // when a late outcome arrives
        var events = s.when(report(new SkeletonReady(skeletonCommand, DESTINATION, "127.0.0.1:7001"), 2));

        // then it is ignored
        assertThat(events).isEmpty();
    }
}
