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
import io.ferry.orchestrator.core.MigrationEvent.FinalCopyCompleted;
import io.ferry.orchestrator.core.MigrationEvent.VmResumed;
import org.junit.jupiter.api.Test;

class SwitchoverOutcomesMayArriveInAnyOrderTest {

    @Test
    void the_destination_resuming_before_the_source_reported_its_final_copy_still_counts_the_right_downtime() {
        // given a migration whose switchover was issued
        Scenario s = Scenario.inPrecopy();
        s.given(report(new PrecopyConverged(s.awaited(), SOURCE, 2, 10, 5), 3));

        // when the destination's outcomes are consumed before the source's
        s.when(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 40));
        var resumed = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, T0.plusMillis(10),
                T0.plusMillis(38), "abc"), 41));
        var finalCopy = s.when(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0.plusMillis(10), 10,
                40_960, "abc"), 42));
        var released = s.when(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 43));

        // then each is recorded once, the downtime runs from the source's pause to the resume, and the stage never
        // goes back
        assertThat(resumed.getFirst()).isInstanceOfSatisfying(VmResumed.class, r -> assertThat(r.downtimeMs()).isEqualTo(28));
        assertThat(finalCopy).singleElement().isInstanceOf(FinalCopyCompleted.class);
        assertThat(released).hasSize(1);
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.Active.class, a -> {
            assertThat(a.stage()).isEqualTo(Stage.NETWORK_CLEANUP);
            assertThat(a.progress().storageEpoch()).isEqualTo(2);
            assertThat(a.awaiting()).containsOnlyKeys(StageAction.ANNOUNCE_NETWORK, StageAction.STOP_SOURCE);
        });
    }
}
