package io.ferry.orchestrator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.orchestrator.core.AgentReport;
import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.Ids.VmId;
import io.ferry.orchestrator.core.Migration;
import io.ferry.orchestrator.core.MigrationCommand;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.core.StageAction;
import io.ferry.orchestrator.core.VmSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TheReplayerFlagsAChangedStateMachineTest {
    private static final HostId SRC = new HostId("hv-01");
    private static final HostId DST = new HostId("hv-02");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** Records a migration as the orchestrator does: each input with the version it was decided on, and its events. */
    private static final class Recording {
        final List<Replayer.Recorded> events = new ArrayList<>();
        final List<Replayer.Input> inputs = new ArrayList<>();
        private final AtomicLong ids = new AtomicLong();
        private final Migration machine = new Migration(() -> new UUID(0, ids.incrementAndGet()));
        private MigrationState state = Migration.initial();

        Recording input(MigrationCommand command, String actor) {
            List<MigrationEvent> decided = machine.decide(command, state);
            if (decided.isEmpty()) {
                return this;
            }
            inputs.add(new Replayer.Input(events.size(), command, actor, command.at()));
            for (MigrationEvent event : decided) {
                state = Migration.evolve(state, event, command.at());
                events.add(new Replayer.Recorded(events.size() + 1, event.getClass().getSimpleName(), event, command.at(),
                        actor));
            }
            return this;
        }

        CommandId awaited(StageAction action) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).event() instanceof StageCommandIssued c && c.action() == action) {
                    return c.commandId();
                }
            }
            throw new AssertionError("no " + action);
        }

        Recording report(AgentReport report, long atMillis) {
            return input(new MigrationCommand.Report(report, T0.plusMillis(atMillis)), "agent:" + report.host().value());
        }
    }

    /** A complete migration, every outcome successful. */
    private static Recording completedMigration() {
        Recording r = new Recording();
        r.input(new MigrationCommand.Submit(new RequestId("req-1"), new VmSpec(new VmId("SERVER2"), 1024, 2, "00:15:5d:00:00:02",
                "/d/SERVER2.vhdx", List.of()), SRC, DST, Policy.defaults(), "alice", MigrationCommand.Channel.REST, T0), "alice");
        r.input(new MigrationCommand.Admit(0, 0, T0.plusMillis(1)), "orchestrator:scheduler");
        r.report(new AgentReport.SkeletonReady(r.awaited(StageAction.PREPARE_DESTINATION), DST, "127.0.0.1:7001"), 2);
        r.report(new AgentReport.SourceConnected(r.awaited(StageAction.CONNECT_SOURCE), SRC), 3);
        r.report(new AgentReport.PrecopyConverged(r.awaited(StageAction.START_PRECOPY), SRC, 1, 0, 0), 4);
        r.report(new AgentReport.FinalCopyDone(r.awaited(StageAction.FINAL_COPY), SRC, T0.plusMillis(5), 0, 0, "abc"), 5);
        r.report(new AgentReport.StorageReleased(r.awaited(StageAction.RELEASE_STORAGE), SRC, 1), 6);
        r.report(new AgentReport.StorageAcquired(r.awaited(StageAction.ACQUIRE_STORAGE), DST, 2), 7);
        r.report(new AgentReport.Resumed(r.awaited(StageAction.RESUME), DST, null, T0.plusMillis(8), "abc"), 8);
        r.report(new AgentReport.NetworkAnnounced(r.awaited(StageAction.ANNOUNCE_NETWORK), DST, "00:15:5d:00:00:02"), 9);
        r.report(new AgentReport.SourceStopped(r.awaited(StageAction.STOP_SOURCE), SRC), 10);
        return r;
    }

    @Test
    void todays_state_machine_replays_its_own_recording_without_divergence() {
        // given a recorded, completed migration
        Recording r = completedMigration();

        // when it is replayed through today's state machine
        Replayer.Report report = Replayer.replay(r.events, r.inputs, null, Replayer.TODAY);

        // then every event is folded, the state after each is shown, and nothing diverges
        assertThat(report.consistent()).isTrue();
        assertThat(report.steps()).hasSize(r.events.size());
        assertThat(report.steps().get(0).stateAfter()).isEqualTo("QUEUED");
        assertThat(report.finalState()).isEqualTo("COMPLETED");
    }

    @Test
    void replay_until_a_version_stops_there_and_shows_the_state_at_that_point() {
        // given a recorded, completed migration
        Recording r = completedMigration();

        // when it is replayed until version 5
        Replayer.Report report = Replayer.replay(r.events, r.inputs, 5, Replayer.TODAY);

        // then only five events are folded
        assertThat(report.steps()).extracting(Replayer.Step::version).containsExactly(1, 2, 3, 4, 5);
        assertThat(report.finalState()).isEqualTo("SETUP");
    }

    @Test
    void a_state_machine_that_sends_the_precopy_to_the_wrong_host_is_caught_at_that_input() {
        // given a recorded, completed migration
        Recording r = completedMigration();
        // and a changed state machine that starts the pre-copy on the destination instead of the source
        Replayer.Decider changed = (input, state, ids) -> Replayer.TODAY.decide(input, state, ids).stream()
                .map(e -> e instanceof StageCommandIssued c && c.action() == StageAction.START_PRECOPY
                        ? (MigrationEvent) new StageCommandIssued(c.commandId(), c.action(), DST) : e)
                .toList();

        // when the recording is replayed through it
        Replayer.Report report = Replayer.replay(r.events, r.inputs, null, changed);

        // then exactly the input that issued the pre-copy is flagged, naming what was recorded and what is decided now
        assertThat(report.consistent()).isFalse();
        assertThat(report.divergences()).singleElement().satisfies(d -> {
            assertThat(d.input()).contains("SkeletonReady");
            assertThat(d.recorded()).contains("StageCommandIssued(START_PRECOPY@hv-01)");
            assertThat(d.decided()).contains("StageCommandIssued(START_PRECOPY@hv-02)");
            assertThat(d.detail()).startsWith("event 3 of the batch differs");
        });
    }

    @Test
    void a_state_machine_that_no_longer_stops_the_source_is_caught() {
        // given a recorded, completed migration, and a state machine that forgot to stop the source
        Recording r = completedMigration();
        Replayer.Decider changed = (input, state, ids) -> Replayer.TODAY.decide(input, state, ids).stream()
                .filter(e -> !(e instanceof StageCommandIssued c && c.action() == StageAction.STOP_SOURCE)).toList();

        // when it is replayed
        Replayer.Report report = Replayer.replay(r.events, r.inputs, null, changed);

        // then the missing command is named
        assertThat(report.divergences()).singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("first missing").contains("STOP_SOURCE"));
    }
}
