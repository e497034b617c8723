package io.ferry.orchestrator.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.MigrationEvent.MigrationAdmitted;
import io.ferry.orchestrator.core.MigrationEvent.MigrationRequested;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState.Active;
import java.util.List;
import org.junit.jupiter.api.Test;

class ARequestWaitsQueuedUntilAdmittedTest {

    @Test
    void a_new_request_is_recorded_as_queued_and_issues_nothing() {
        // given no migration yet
        Scenario scenario = new Scenario();

        // when the request is submitted
        List<MigrationEvent> events = scenario.when(Scenario.submit());

        // then it is recorded and waits for a slot: no host is asked anything yet
        assertThat(events).singleElement().isInstanceOfSatisfying(MigrationRequested.class, r -> {
            assertThat(r.vm().vmId().value()).isEqualTo("SERVER2");
            assertThat(r.requestedAt()).isEqualTo(Scenario.T0);
        });
        assertThat(scenario.state().label()).isEqualTo("QUEUED");
    }

    @Test
    void admission_starts_setup_on_the_destination() {
        // given a queued request
        Scenario scenario = new Scenario().given(Scenario.submit());

        // when the scheduler admits it
        List<MigrationEvent> events = scenario.when(new MigrationCommand.Admit(1, 3, Scenario.T0.plusMillis(5)));

        // then the admission is recorded with the load it saw, and the destination is told to prepare a skeleton
        assertThat(events.get(0)).isEqualTo(new MigrationAdmitted(1, 3));
        assertThat(events.get(1)).isInstanceOfSatisfying(StageCommandIssued.class, c -> {
            assertThat(c.action()).isEqualTo(StageAction.PREPARE_DESTINATION);
            assertThat(c.target()).isEqualTo(Scenario.DESTINATION);
        });
        assertThat(scenario.state()).isInstanceOfSatisfying(Active.class, a -> {
            assertThat(a.stage()).isEqualTo(Stage.SETUP);
            assertThat(a.admittedAt()).isEqualTo(Scenario.T0.plusMillis(5));
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

    @Test
    void a_second_admission_changes_nothing() {
        // given an admitted migration (two schedulers may race for it)
        Scenario scenario = Scenario.started();

        // when it is admitted again
        List<MigrationEvent> events = scenario.when(Scenario.admit(10));

        // then nothing is issued twice
        assertThat(events).isEmpty();
    }
}
