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
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.Policy;
import io.ferry.orchestrator.core.StageAction;
import io.ferry.orchestrator.core.VmSpec;
import io.ferry.orchestrator.eventlog.EventCodec;
import io.ferry.orchestrator.eventlog.InputCodec;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class AHistoryRecordedBeforeTheBreakdownReplaysWithoutDivergenceTest {
    private static final HostId SRC = new HostId("hv-01");
    private static final HostId DST = new HostId("hv-02");
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final JsonMapper json = JsonMapper.builder().build();
    private final EventCodec codec = new EventCodec();
    private final InputCodec inputs = new InputCodec();
    private final AtomicLong ids = new AtomicLong();
    private final Migration machine = new Migration(() -> new UUID(0, ids.incrementAndGet()));
    private final ObjectNode export = json.createObjectNode().put("format", ReplayService.FORMAT)
            .put("migrationId", "0b6f3f0e-8f3a-4c55-9d0e-2f1f6a1c9e11");
    private final ArrayNode events = export.putArray("events");
    private final ArrayNode recorded = export.putArray("inputs");
    private MigrationState state = Migration.initial();

    @Test
    void an_export_whose_resume_and_its_input_lack_the_breakdown_replays_consistently() {
        // given a completed migration exported as it was recorded before the breakdown existed: the VmResumed
        // payload without downtimeBreakdown, the Resumed input without breakdown
        record(new MigrationCommand.Submit(new RequestId("req-1"), new VmSpec(new VmId("SERVER2"), 1024, 2,
                "00:15:5d:00:00:02", "/d/SERVER2.vhdx", List.of()), SRC, DST, Policy.defaults(), "alice",
                MigrationCommand.Channel.REST, T0));
        record(new MigrationCommand.Admit(0, 0, T0.plusMillis(1)));
        record(report(new AgentReport.SkeletonReady(awaited(StageAction.PREPARE_DESTINATION), DST, "127.0.0.1:7001"), 2));
        record(report(new AgentReport.SourceConnected(awaited(StageAction.CONNECT_SOURCE), SRC), 3));
        record(report(new AgentReport.PrecopyConverged(awaited(StageAction.START_PRECOPY), SRC, 1, 0, 0), 4));
        record(report(new AgentReport.FinalCopyDone(awaited(StageAction.FINAL_COPY), SRC, T0.plusMillis(5), 0, 0, "abc"), 5));
        record(report(new AgentReport.StorageReleased(awaited(StageAction.RELEASE_STORAGE), SRC, 1), 6));
        record(report(new AgentReport.StorageAcquired(awaited(StageAction.ACQUIRE_STORAGE), DST, 2), 7));
        record(report(new AgentReport.Resumed(awaited(StageAction.RESUME), DST, null, T0.plusMillis(8), "abc"), 8));
        record(report(new AgentReport.NetworkAnnounced(awaited(StageAction.ANNOUNCE_NETWORK), DST, "00:15:5d:00:00:02"), 9));
        record(report(new AgentReport.SourceStopped(awaited(StageAction.STOP_SOURCE), SRC), 10));
        ObjectNode resumed = (ObjectNode) events.valueStream().filter(e -> e.path("type").asString().equals("VmResumed"))
                .findFirst().orElseThrow().get("payload");
        assertThat(resumed.remove("downtimeBreakdown")).isNotNull();
        ObjectNode resumeInput = (ObjectNode) recorded.valueStream()
                .filter(i -> i.path("input").path("report").path("type").asString().equals("Resumed"))
                .findFirst().orElseThrow().get("input").get("report");
        assertThat(resumeInput.remove("breakdown")).isNotNull();

        // when it is replayed through today's state machine
        ReplayService.ReplayView view = new ReplayService(null, codec, null, null).fromExport(export, null);

        // then every input decides what was recorded and the migration completes
        assertThat(view.divergences()).isEmpty();
        assertThat(view.consistent()).isTrue();
        assertThat(view.finalState()).isEqualTo("COMPLETED");
    }

    /** Decides the input on the state so far and writes it and its events to the export, as the orchestrator does. */
    private void record(MigrationCommand command) {
        List<MigrationEvent> decided = machine.decide(command, state);
        int afterVersion = events.size();
        recorded.addObject().put("afterVersion", afterVersion).put("actor", "test")
                .put("recordedAt", command.at().toString()).set("input", inputs.toJson(command));
        for (MigrationEvent event : decided) {
            state = Migration.evolve(state, event, command.at());
            int version = events.size() + 1;
            events.addObject().put("version", version).put("type", codec.type(event))
                    .put("recordedAt", command.at().toString()).put("actor", "test")
                    .set("payload", json.readTree(codec.json(event)));
        }
    }

    private CommandId awaited(StageAction action) {
        for (int i = events.size() - 1; i >= 0; i--) {
            var e = events.get(i);
            if (e.path("type").asString().equals("StageCommandIssued")
                    && e.path("payload").path("action").asString().equals(action.name())) {
                return new CommandId(UUID.fromString(e.path("payload").path("commandId").asString()));
            }
        }
        throw new AssertionError("no " + action + " issued yet");
    }

    private static MigrationCommand report(AgentReport report, long atMillis) {
        return new MigrationCommand.Report(report, T0.plusMillis(atMillis));
    }
}
