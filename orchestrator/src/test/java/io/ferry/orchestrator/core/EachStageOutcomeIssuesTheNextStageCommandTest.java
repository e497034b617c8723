package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.FinalCopyDone;
import io.ferry.orchestrator.core.AgentReport.NetworkAnnounced;
import io.ferry.orchestrator.core.AgentReport.PrecopyConverged;
import io.ferry.orchestrator.core.AgentReport.PrecopyProgress;
import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.AgentReport.SkeletonReady;
import io.ferry.orchestrator.core.AgentReport.SourceConnected;
import io.ferry.orchestrator.core.AgentReport.SourceStopped;
import io.ferry.orchestrator.core.AgentReport.StorageAcquired;
import io.ferry.orchestrator.core.AgentReport.StorageReleased;
import io.ferry.orchestrator.core.MigrationEvent.MigrationCompleted;
import io.ferry.orchestrator.core.MigrationEvent.VmResumed;
import io.ferry.orchestrator.core.MigrationState.Completed;
import java.util.List;
import org.junit.jupiter.api.Test;

class EachStageOutcomeIssuesTheNextStageCommandTest {

    @Test
    void a_migration_walks_all_six_stages_in_order_and_completes() {
        // given a submitted migration
        Scenario s = Scenario.started();

        // when every agent reports success for the command it was given, then the next command goes to the right host
        // connect and pre-copy go to the source together, which runs them in order
        List<MigrationEvent> ready = s.when(report(new SkeletonReady(s.awaited(), DESTINATION, "127.0.0.1:7001"), 10));
        assertThat(Scenario.issued(ready)).extracting(i -> i.action() + "@" + i.target().value())
                .containsExactly("CONNECT_SOURCE@hv-01", "START_PRECOPY@hv-01");
        assertThat(s.state().label()).isEqualTo("SETUP");

        assertThat(s.when(report(new SourceConnected(s.awaited(StageAction.CONNECT_SOURCE), SOURCE), 20))).hasSize(1);
        assertThat(s.state().label()).isEqualTo("PRECOPY");

        var precopy = s.awaited();
        assertThat(s.when(report(new PrecopyProgress(precopy, SOURCE, stats(1, 1000)), 30))).hasSize(1);
        assertThat(s.when(report(new PrecopyProgress(precopy, SOURCE, stats(2, 50)), 40))).hasSize(1);
        // the whole switchover, stage 6 included, is issued at once, each part to the host that does it
        List<MigrationEvent> switchover = s.when(report(new PrecopyConverged(precopy, SOURCE, 2, 12, 3), 41));
        assertThat(Scenario.issued(switchover)).extracting(i -> i.action() + "@" + i.target().value()).containsExactly(
                "FINAL_COPY@hv-01", "RELEASE_STORAGE@hv-01", "ACQUIRE_STORAGE@hv-02", "RESUME@hv-02",
                "ANNOUNCE_NETWORK@hv-02", "STOP_SOURCE@hv-01");
        assertThat(s.state().label()).isEqualTo("FINAL_COPY");

        assertThat(s.when(report(new FinalCopyDone(s.awaited(StageAction.FINAL_COPY), SOURCE, T0.plusMillis(50), 12,
                12 * 4096, "abc"), 55))).hasSize(1);
        assertThat(s.state().label()).isEqualTo("STORAGE");
        // the destination may report acquiring the disk before the source's release outcome is consumed
        assertThat(s.when(report(new StorageAcquired(s.awaited(StageAction.ACQUIRE_STORAGE), DESTINATION, 2), 58))).hasSize(1);
        assertThat(s.when(report(new StorageReleased(s.awaited(StageAction.RELEASE_STORAGE), SOURCE, 1), 59))).hasSize(1);
        assertThat(s.state().label()).isEqualTo("RESUMING");

        List<MigrationEvent> resumed = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, null,
                T0.plusMillis(62), "abc"), 63));
        assertThat(resumed.getFirst()).isInstanceOfSatisfying(VmResumed.class, r -> assertThat(r.downtimeMs()).isEqualTo(12));
        // stage 6's two steps went out with the switchover: nothing more is issued
        assertThat(Scenario.issued(resumed)).isEmpty();
        assertThat(s.state().label()).isEqualTo("NETWORK_CLEANUP");

        assertThat(s.when(report(new NetworkAnnounced(s.awaited(StageAction.ANNOUNCE_NETWORK), DESTINATION,
                "00:15:5d:00:00:02"), 64))).hasSize(1);

        List<MigrationEvent> last = s.when(report(new SourceStopped(s.awaited(StageAction.STOP_SOURCE), SOURCE), 70));

        // then the migration completes with its totals
        assertThat(last).last().isInstanceOfSatisfying(MigrationCompleted.class, c -> {
            assertThat(c.totalMs()).isEqualTo(70);
            assertThat(c.downtimeMs()).isEqualTo(12);
            assertThat(c.rounds()).isEqualTo(2);
            assertThat(c.pagesSent()).isEqualTo(1000 + 50 + 12);
        });
        assertThat(s.state()).isInstanceOf(Completed.class);
    }

    private static CopyStats stats(int round, long pages) {
        return new CopyStats(round, pages, pages * 4096, 0, 10, 100, 900, 3, 5, pages * 4096, 0);
    }
}
