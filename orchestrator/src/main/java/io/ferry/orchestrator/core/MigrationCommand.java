package io.ferry.orchestrator.core;

import io.ferry.orchestrator.core.Ids.HostId;
import io.ferry.orchestrator.core.Ids.RequestId;
import java.time.Instant;

/** An input to {@link Migration#decide}: everything that can happen to a migration from outside. */
public sealed interface MigrationCommand {

    /** How a request reached ferry, kept for audit. */
    enum Channel { TOPIC, REST, CLI }

    record Submit(RequestId requestId, VmSpec vm, HostId source, HostId destination, Policy policy,
            String requestedBy, Channel channel, Instant at) implements MigrationCommand {}

    record Report(AgentReport report, Instant at) implements MigrationCommand {}
}
