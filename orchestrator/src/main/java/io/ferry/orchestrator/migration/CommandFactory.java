package io.ferry.orchestrator.migration;

import io.ferry.orchestrator.core.Ids.MigrationId;
import io.ferry.orchestrator.core.MigrationEvent;
import io.ferry.orchestrator.core.MigrationEvent.StageCommandIssued;
import io.ferry.orchestrator.core.MigrationState;
import io.ferry.orchestrator.core.MigrationState.Plan;
import io.ferry.orchestrator.core.MigrationState.Progress;
import io.ferry.orchestrator.decision.Recorded;
import io.ferry.orchestrator.eventlog.EventCodec;
import io.ferry.schema.agent.StageAction;
import io.ferry.schema.agent.StageCommand;
import java.time.Instant;

/** Builds the wire command for a recorded StageCommandIssued from what the migration knows at that point. */
final class CommandFactory {
    private CommandFactory() {}

    /**
     * @param tokens seals the data channel's secret, put only into the commands of the two ends of the channel
     * @param sourceDataHost where the source's data channel connects from (null: unknown), told to the destination
     */
    static StageCommand build(MigrationId id, Recorded<MigrationEvent> recorded, StageCommandIssued issued, MigrationState state,
            Instant now, DataTokens tokens, String sourceDataHost) {
        Plan plan = state.requested().orElseThrow(
                () -> new IllegalStateException("a command was issued for a migration that was never requested"));
        Progress progress = progress(state);
        return StageCommand.newBuilder()
                .setCommandId(issued.commandId().toString())
                .setMigrationId(id.toString())
                .setRequestId(plan.requestId().value())
                .setCausationId(recorded.eventId().toString())
                .setIssuedAt(now)
                .setTargetHost(issued.target().value())
                .setAction(StageAction.valueOf(issued.action().name()))
                .setVmId(plan.vm().vmId().value())
                .setSourceHost(plan.source().value())
                .setDestinationHost(plan.destination().value())
                .setVm(EventCodec.vmConfig(plan.vm()))
                .setPolicy(EventCodec.policy(plan.policy()))
                .setDataAddress(progress == null ? null : progress.dataAddress())
                .setStorageEpoch(progress == null ? null : progress.storageEpoch())
                .setSourceDataHost(issued.action() == io.ferry.orchestrator.core.StageAction.PREPARE_DESTINATION
                        ? sourceDataHost : null)
                .setSealedDataToken(switch (issued.action()) {
                    case PREPARE_DESTINATION, CONNECT_SOURCE ->
                            tokens.sealedFor(id.toString(), issued.target().value(), issued.action().name());
                    default -> null;
                })
                .build();
    }

    private static Progress progress(MigrationState state) {
        return switch (state) {
            case MigrationState.Active a -> a.progress();
            case MigrationState.Completed c -> c.progress();
            case MigrationState.Failed f -> f.progress();
            case MigrationState.Unwinding u -> u.progress();
            case MigrationState.Cancelled c -> c.progress();
            case MigrationState.RolledBack r -> r.progress();
            case MigrationState.Queued q -> null;
            case MigrationState.Absent a -> null;
        };
    }
}
