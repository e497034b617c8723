package io.ferry.orchestrator.core;

import static io.ferry.orchestrator.core.Scenario.DESTINATION;
import static io.ferry.orchestrator.core.Scenario.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport.SkeletonReady;
import io.ferry.orchestrator.core.Ids.CommandId;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutcomesOfOtherCommandsAreIgnoredTest {

    @Test
    void an_outcome_for_a_command_the_migration_is_not_waiting_for_changes_nothing() {
        // given a migration waiting for its skeleton
        Scenario s = Scenario.started();
        MigrationState before = s.state();

        // when an outcome arrives for some other command
        var events = s.when(report(new SkeletonReady(new CommandId(UUID.randomUUID()), DESTINATION, "x:1"), 5));

        // then it is ignored
        assertThat(events).isEmpty();
        assertThat(s.state()).isEqualTo(before);
    }

    @Test
    void the_same_outcome_delivered_twice_is_acted_on_once() {
        // given the skeleton outcome was already handled
        Scenario s = Scenario.started();
        SkeletonReady ready = new SkeletonReady(s.awaited(), DESTINATION, "127.0.0.1:7001");
        s.when(report(ready, 5));

        // when it is delivered again
        var events = s.when(report(ready, 6));

        // then nothing new happens
        assertThat(events).isEmpty();
    }
}
