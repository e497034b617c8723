package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.CommandId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import io.ferry.orchestrator.core.Ids.VmId;
import io.ferry.orchestrator.core.MigrationCommand.Channel;
import io.ferry.orchestrator.core.MigrationCommand.Report;
import io.ferry.orchestrator.core.MigrationCommand.Submit;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Given/when/then over the pure state machine, with deterministic ids and times. */
final class Scenario {
    static final HostId SOURCE = new HostId("hv-01");
    static final HostId DESTINATION = new HostId("hv-02");
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final VmSpec SERVER2 = new VmSpec(new VmId("SERVER2"), 1024, 2, "00:15:5d:00:00:02",
            "/var/lib/ferry/disks/SERVER2.vhdx", List.of("sse4_2", "avx2"));

    private final AtomicLong counter = new AtomicLong();
    final Migration machine = new Migration(() -> new UUID(0, counter.incrementAndGet()));
    final List<Migration.Stamped> history = new ArrayList<>();
    List<MigrationEvent> lastEvents = List.of();

    static Submit submit() {
        return submit(Policy.defaults());
    }

    static Submit submit(Policy policy) {
        return new Submit(new RequestId("req-1"), SERVER2, SOURCE, DESTINATION, policy, "alice", Channel.TOPIC, T0);
    }

    static Report report(AgentReport report, long atMillis) {
        return new Report(report, T0.plusMillis(atMillis));
    }

    static MigrationCommand.Admit admit(long atMillis) {
        return new MigrationCommand.Admit(0, 0, T0.plusMillis(atMillis));
    }

    /** A migration submitted and admitted at T0: PREPARE_DESTINATION is the command it waits on. */
    static Scenario started() {
        return new Scenario().given(submit()).given(admit(0));
    }

    /** Started, its skeleton ready at +1 ms and its source connected at +2 ms: pre-copy is running. */
    static Scenario inPrecopy() {
        Scenario s = started();
        s.given(report(new AgentReport.SkeletonReady(s.awaited(), DESTINATION, "127.0.0.1:7001"), 1));
        return s.given(report(new AgentReport.SourceConnected(s.awaited(StageAction.CONNECT_SOURCE), SOURCE), 2));
    }

    MigrationState state() {
        return Migration.fold(history);
    }

    /** given: the command already happened and its events are in the log. */
    Scenario given(MigrationCommand command) {
        record(machine.decide(command, state()), command.at());
        return this;
    }

    /** when: decide on the command; its events are kept for the then-part and appended to the history. */
    List<MigrationEvent> when(MigrationCommand command) {
        lastEvents = machine.decide(command, state());
        record(lastEvents, command.at());
        return lastEvents;
    }

    private List<MigrationEvent> lastStepEvents = List.of();

    private void record(List<MigrationEvent> events, Instant at) {
        lastStepEvents = events;
        events.forEach(e -> history.add(new Migration.Stamped(e, at)));
    }

    /** The events of the last given/when step. */
    List<MigrationEvent> lastStep() {
        return lastStepEvents;
    }

    List<MigrationEvent> events() {
        return history.stream().map(Migration.Stamped::event).toList();
    }

    /** The command the orchestrator is waiting on: the last one it issued. */
    CommandId awaited() {
        return lastIssued().commandId();
    }

    /** The command issued last for this action. */
    CommandId awaited(StageAction action) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).event() instanceof StageCommandIssued issued && issued.action() == action) {
                return issued.commandId();
            }
        }
        throw new AssertionError("no " + action + " issued yet");
    }

    StageCommandIssued lastIssued() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).event() instanceof StageCommandIssued issued) {
                return issued;
            }
        }
        throw new AssertionError("no command issued yet");
    }

    static List<StageCommandIssued> issued(List<MigrationEvent> events) {
        return events.stream().filter(StageCommandIssued.class::isInstance).map(StageCommandIssued.class::cast).toList();
    }
}
