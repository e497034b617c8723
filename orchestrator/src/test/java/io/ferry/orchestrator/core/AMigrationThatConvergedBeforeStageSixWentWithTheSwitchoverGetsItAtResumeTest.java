package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.SOURCE;
import static io.ferry.orchestrator.core.Scenario.T0;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.Resumed;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.MigrationEvent.PrecopyConverged;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A log written by an orchestrator that issued stage 6 only after the resume (a migration in its switchover across
 * an upgrade) still ends: the resume issues both steps, as it did then.
 */
class AMigrationThatConvergedBeforeStageSixWentWithTheSwitchoverGetsItAtResumeTest {

    @Test
    void the_resume_issues_the_announcement_and_the_stop() {
        // given a migration whose convergence issued stages 3 to 5 only, as recorded before
        Scenario s = Scenario.inPrecopy();
        List<MigrationEvent> old = List.of(new PrecopyConverged(1, 0, 0),
                issued(StageAction.FINAL_COPY, SOURCE), issued(StageAction.RELEASE_STORAGE, SOURCE),
                issued(StageAction.ACQUIRE_STORAGE, DESTINATION), issued(StageAction.RESUME, DESTINATION));
        old.forEach(e -> s.history.add(new Migration.Stamped(e, T0.plusMillis(3))));

        // when the destination reports the resume
        List<MigrationEvent> resumed = s.when(report(new Resumed(s.awaited(StageAction.RESUME), DESTINATION, T0.plusMillis(4),
                T0.plusMillis(7), "abc"), 7));

        // then stage 6's two steps go out, each to its host
        assertThat(Scenario.issued(resumed)).extracting(i -> i.action() + "@" + i.target())
                .containsExactly("ANNOUNCE_NETWORK@hv-02", "STOP_SOURCE@hv-01");
    }

    private static StageCommandIssued issued(StageAction action, Ids.HostId target) {
        return new StageCommandIssued(new CommandId(UUID.randomUUID()), action, target);
    }
}
