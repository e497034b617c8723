package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Aborted;
import io.ferry.orchestrator.core.AgentReport.PrecopyProgress;
import io.ferry.orchestrator.core.AgentReport.SkeletonReady;
import io.ferry.orchestrator.core.AgentReport.SourceConnected;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.MigrationCommand.Tick;
import io.ferry.orchestrator.core.MigrationEvent.AbortUnconfirmed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRolledBack;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimeoutsEndTheMigrationWithTheirOwnReasonTest {

    private static Tick tick(Duration after, HostId... unreachable) {
        return new Tick(Set.of(unreachable), T0.plus(after));
    }

    /** A migration in pre-copy since T0 + 2 ms. */
    private static Scenario inPrecopy() {
        Scenario s = Scenario.inPrecopy();
        return s;
    }

    private static FailureReason reasonOf(List<MigrationEvent> events) {
        return ((MigrationFailed) events.getFirst()).reason();
    }

    @Test
    void a_destination_that_missed_its_heartbeats_fails_the_migration_and_the_source_keeps_the_vm() {
        // given a migration in pre-copy
        Scenario s = inPrecopy();

        // when the watchdog finds the destination unreachable
        List<MigrationEvent> events = s.when(tick(Duration.ofSeconds(5), DESTINATION));

        // then it fails as HOST_UNREACHABLE and both hosts are told to roll back
        assertThat(reasonOf(events)).isEqualTo(FailureReason.HOST_UNREACHABLE);
        assertThat(((MigrationFailed) events.getFirst()).detail()).contains("destination hv-02");
        assertThat(Scenario.issued(events)).hasSize(2);

        // and when the dead destination is given up on and the source confirms, the migration is rolled back
        var abortSource = Scenario.issued(events).get(1).commandId();
        assertThat(s.when(tick(Duration.ofSeconds(6), DESTINATION))).singleElement().isInstanceOf(AbortUnconfirmed.class);
        List<MigrationEvent> last = s.when(report(new Aborted(abortSource, SOURCE), 6_500));
        assertThat(last.getLast()).isInstanceOfSatisfying(MigrationRolledBack.class,
                r -> assertThat(r.note()).contains("hv-02").contains("unreachable"));
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.RolledBack.class,
                r -> assertThat(r.reason()).isEqualTo(FailureReason.HOST_UNREACHABLE));
    }

    @Test
    void no_outcome_for_longer_than_the_progress_timeout_fails_the_migration() {
        // given a migration in pre-copy whose last outcome came at T0 + 2 ms (progress timeout: 150 s)
        Scenario s = inPrecopy();

        // when the watchdog looks just before and just after the timeout
        List<MigrationEvent> before = s.when(tick(Duration.ofSeconds(150)));
        List<MigrationEvent> after = s.when(tick(Duration.ofSeconds(151)));

        // then only the later look fails it, as PROGRESS_TIMEOUT
        assertThat(before).isEmpty();
        assertThat(reasonOf(after)).isEqualTo(FailureReason.PROGRESS_TIMEOUT);
    }

    @Test
    void each_outcome_restarts_the_progress_timeout() {
        // given a migration with a 60 s progress timeout, in pre-copy since 2 ms, that reports a round at 50 s
        Scenario s = new Scenario().given(Scenario.submit(new Policy(300, 0, 10, false, Policy.Compression.NONE, 60, 600)))
                .given(Scenario.admit(0));
        s.given(report(new SkeletonReady(s.awaited(), DESTINATION, "127.0.0.1:7001"), 1));
        s.given(report(new SourceConnected(s.awaited(StageAction.CONNECT_SOURCE), SOURCE), 2));
        s.given(report(new PrecopyProgress(s.awaited(StageAction.START_PRECOPY), SOURCE,
                new CopyStats(1, 10, 40_960, 0, 5, 1, 100, 1, 10, 40_960, 0)), 50_000));

        // when the watchdog looks 100 s after the start, and again 111 s after it
        List<MigrationEvent> moving = s.when(tick(Duration.ofSeconds(100)));
        List<MigrationEvent> stalled = s.when(tick(Duration.ofSeconds(111)));

        // then the round kept it alive until 60 s after the round
        assertThat(moving).isEmpty();
        assertThat(reasonOf(stalled)).isEqualTo(FailureReason.PROGRESS_TIMEOUT);
    }

    @Test
    void the_completion_timeout_scales_with_memory() {
        // given a 1 GiB guest (150 s per GiB) that keeps reporting rounds
        Scenario s = inPrecopy();
        for (int second = 60; second <= 180; second += 60) {
            s.given(report(new PrecopyProgress(s.awaited(StageAction.START_PRECOPY), SOURCE,
                    new CopyStats(second / 60, 10, 40_960, 0, 5, 1, 100, 1, 10, 40_960, 0)), second * 1000L));
        }

        // when the watchdog looks at 149 s and at 181 s after admission
        assertThat(s.when(tick(Duration.ofSeconds(149)))).isEmpty();
        List<MigrationEvent> events = s.when(tick(Duration.ofSeconds(181)));

        // then it fails as COMPLETION_TIMEOUT, naming the limit
        assertThat(reasonOf(events)).isEqualTo(FailureReason.COMPLETION_TIMEOUT);
        assertThat(((MigrationFailed) events.getFirst()).detail()).contains("1024 MB is 150 s");
        assertThat(new Policy(300, 0, 10, false, Policy.Compression.NONE).completionTimeout(4096))
                .isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void a_silent_host_is_given_up_on_after_the_rollback_timeout() {
        // given a migration rolling back since 10 s, whose source confirmed but whose destination stays silent
        Scenario s = inPrecopy();
        s.given(tick(Duration.ofSeconds(10), DESTINATION));
        var aborts = Scenario.issued(s.lastStep());
        s.given(report(new Aborted(aborts.get(1).commandId(), SOURCE), 10_500));

        // when the watchdog looks before and after the rollback timeout (the destination is reachable again)
        assertThat(s.when(tick(Duration.ofSeconds(10).plus(Migration.ROLLBACK_TIMEOUT)))).isEmpty();
        List<MigrationEvent> events = s.when(tick(Duration.ofSeconds(11).plus(Migration.ROLLBACK_TIMEOUT)));

        // then the destination is given up on and the migration ends rolled back
        assertThat(events.getFirst()).isInstanceOfSatisfying(AbortUnconfirmed.class,
                u -> assertThat(u.detail()).contains("no answer to ABORT"));
        assertThat(s.state().label()).isEqualTo("ROLLED_BACK");
    }
}
