package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Aborted;
import io.ferry.orchestrator.core.MigrationCommand.Tick;
import io.ferry.orchestrator.core.MigrationEvent.MigrationFailed;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRolledBack;
import io.ferry.schema.common.FailureReason;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnAgentThatRestartedMidMigrationRollsItBackTest {

    /** A migration in pre-copy since T0 + 2 ms. */
    private static Scenario inPrecopy() {
        Scenario s = Scenario.inPrecopy();
        return s;
    }

    @Test
    void a_source_that_restarted_in_precopy_fails_the_migration_as_agent_restarted_and_both_hosts_roll_back() {
        // given a migration in pre-copy
        Scenario s = inPrecopy();

        // when the watchdog sees that the source's agent restarted (it is heard again, so not unreachable)
        List<MigrationEvent> events = s.when(new Tick(Set.of(), Set.of(SOURCE), T0.plus(Duration.ofSeconds(5))));

        // then the migration fails with AGENT_RESTARTED, naming the source, and both hosts are told to roll back
        assertThat(events.getFirst()).isInstanceOfSatisfying(MigrationFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.AGENT_RESTARTED);
            assertThat(failed.detail()).contains("source hv-01").contains("PRECOPY");
        });
        assertThat(Scenario.issued(events)).extracting(MigrationEvent.StageCommandIssued::action)
                .containsExactly(StageAction.ABORT, StageAction.ABORT);

        // and once both confirm, it is rolled back with that reason
        var abortDestination = Scenario.issued(events).get(0).commandId();
        var abortSource = Scenario.issued(events).get(1).commandId();
        s.when(report(new Aborted(abortDestination, DESTINATION), 6_000));
        assertThat(s.when(report(new Aborted(abortSource, SOURCE), 6_500)).getLast()).isInstanceOf(MigrationRolledBack.class);
        assertThat(s.state()).isInstanceOfSatisfying(MigrationState.RolledBack.class,
                r -> assertThat(r.reason()).isEqualTo(FailureReason.AGENT_RESTARTED));
    }

    @Test
    void a_host_outside_the_migration_that_restarted_changes_nothing() {
        // given a migration in pre-copy
        Scenario s = inPrecopy();

        // when another host's agent restarted
        List<MigrationEvent> events = s.when(new Tick(Set.of(), Set.of(new Ids.HostId("hv-03")), T0.plus(Duration.ofSeconds(5))));

        // then nothing happens
        assertThat(events).isEmpty();
    }
}
