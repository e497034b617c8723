package io.ferry.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.MigrationEvent.MigrationRequested;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState.Active;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubmittingAMigrationAsksTheDestinationForASkeletonTest {

    @Test
    void a_new_request_is_recorded_and_the_destination_is_told_to_prepare() {
        // given no migration yet
        Scenario scenario = new Scenario();

        // when the request is submitted
        List<MigrationEvent> events = scenario.when(Scenario.submit());

        // then it is recorded, and setup starts on the destination
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isInstanceOfSatisfying(MigrationRequested.class, r -> {
            assertThat(r.vm().vmId().value()).isEqualTo("SERVER2");
            assertThat(r.requestedAt()).isEqualTo(Scenario.T0);
        });
        assertThat(events.get(1)).isInstanceOfSatisfying(StageCommandIssued.class, c -> {
            assertThat(c.action()).isEqualTo(StageAction.PREPARE_DESTINATION);
            assertThat(c.target()).isEqualTo(Scenario.DESTINATION);
        });
        assertThat(scenario.state()).isInstanceOfSatisfying(Active.class, a -> {
            assertThat(a.stage()).isEqualTo(Stage.SETUP);
            assertThat(a.awaiting()).containsExactly(
                    java.util.Map.entry(StageAction.PREPARE_DESTINATION, ((StageCommandIssued) events.get(1)).commandId()));
        });
    }

    @Test
    void the_same_request_delivered_twice_makes_one_migration() {
        // given a submitted request
        Scenario scenario = new Scenario().given(Scenario.submit());

        // when it arrives again
        List<MigrationEvent> events = scenario.when(Scenario.submit());

        // then nothing new happens
        assertThat(events).isEmpty();
    }
}
