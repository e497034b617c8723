package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.DrainId;
import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import java.time.Instant;
import java.util.Set;

/** An input to {@link Migration#decide}: everything that can happen to a migration from outside, with its time. */
public sealed interface MigrationCommand {

    /** When the input happened (the orchestrator's clock): the only time the state machine ever sees. */
    Instant at();

    /** How a request reached ferry, kept for audit. */
    enum Channel { TOPIC, REST, CLI,
        /** A move a host drain submitted for its operator. */
        DRAIN }

    /**
     * @param placement how ferry chose the destination, or null when the request named it
     * @param drain the host drain this move belongs to (admitted before ordinary requests), or null
     * @param forecast what the pre-copy model predicts for it, or null when it could not be estimated
     */
    record Submit(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
            String requestedBy, Channel channel, Instant at, Placement placement, DrainId drain, Forecast forecast)
            implements MigrationCommand {
        public Submit(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
                String requestedBy, Channel channel, Instant at) {
            this(requestId, vm, source, destination, policy, requestedBy, channel, at, null, null, null);
        }

        public Submit(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
                String requestedBy, Channel channel, Instant at, Placement placement, DrainId drain) {
            this(requestId, vm, source, destination, policy, requestedBy, channel, at, placement, drain, null);
        }
    }

    /** The scheduler found a slot under the concurrency limits; the counts are what runs right now. */
    record Admit(int activeOnSource, int activeInCluster, Instant at) implements MigrationCommand {}

    record Cancel(String requestedBy, Instant at) implements MigrationCommand {}

    record Report(AgentReport report, Instant at) implements MigrationCommand {}

    /**
     * The watchdog's periodic look: time has passed, these hosts have missed their heartbeats, and these hosts' agents
     * restarted since the migration was admitted (a new agent was heard: what the old one held only in memory for
     * this migration, its data channel, pre-copy or incoming skeleton, is gone). {@code restarted} is empty in ticks
     * recorded before it existed.
     */
    record Tick(Set<HostId> unreachable, Set<HostId> restarted, Instant at) implements MigrationCommand {
        public Tick {
            unreachable = Set.copyOf(unreachable);
            restarted = restarted == null ? Set.of() : Set.copyOf(restarted);
        }

        public Tick(Set<HostId> unreachable, Instant at) {
            this(unreachable, Set.of(), at);
        }
    }
}
