package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.StorageAcquired;
import io.ferry.orchestrator.core.AgentReport.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.VmResumed;
import java.util.List;
import org.junit.jupiter.api.Test;

class AResumeRecordsWhereTheBlackoutWentTest {
    /** QEMU-like: no separate device state, and a guest that waited 40 ms for its authorisation. */
    private static final DowntimeBreakdown MEASURED = new DowntimeBreakdown(74_000, 52_000, null, 3_100, 4_000, 9_200,
            5_700, 40_000L);

    /** A migration whose disk the destination has taken: RESUME is outstanding. */
    private static Scenario acquired() {
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(), SOURCE, 1, 0, 0), 3));
        s.given(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0.plusMillis(4), 0, 0, "abc"), 4));
        s.given(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 5));
        s.given(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 6));
        return s;
    }

    @Test
    void the_breakdown_the_destination_reports_is_recorded_on_the_resume_and_kept_in_the_progress() {
        // given a migration waiting for the resume
        Scenario s = acquired();

        // when the destination reports it resumed, with where the blackout went
        List<MigrationEvent> events = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null,
                T0.plusMillis(78), "abc", MEASURED), 79));

        // then the resume carries the breakdown as reported, beside the downtime the orchestrator computed
        assertThat(events.getFirst()).isEqualTo(new VmResumed(DESTINATION, T0.plusMillis(78), 74, "abc", MEASURED));
        // and the state keeps it for the read model
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Active.class,
                a -> assertThat(a.progress().breakdown()).isEqualTo(MEASURED));
    }

    @Test
    void a_resume_reported_without_a_breakdown_records_none() {
        // given a migration waiting for the resume
        Scenario s = acquired();

        // when the destination reports it resumed without a breakdown, as agents before it did
        List<MigrationEvent> events = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null,
                T0.plusMillis(78), "abc"), 79));

        // then the resume is recorded with its downtime and no breakdown
        assertThat(events.getFirst()).isEqualTo(new VmResumed(DESTINATION, T0.plusMillis(78), 74, "abc", null));
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Active.class,
                a -> assertThat(a.progress().breakdown()).isNull());
    }
}
