package io.ferry.orchestrator;

/** Every Kafka topic ferry uses. */
public final class Topics {
    /** Clients -> orchestrator: migration requests (Avro single-object encoding). */
    public static final String REQUESTS = "ferry.migration-requests";
    /** Requests that could not become a migration, with the error (JSON envelope). */
    public static final String REQUESTS_DLQ = "ferry.migration-requests.dlq";
    /** Orchestrator -> agent on one host: stage commands. */
    public static final String COMMANDS_PREFIX = "ferry.agent-commands.";
    /** Agents -> orchestrator: stage outcomes and progress. */
    public static final String OUTCOMES = "ferry.agent-outcomes";
    /** Agents -> orchestrator: liveness and inventory. */
    public static final String HEARTBEATS = "ferry.host-heartbeats";
    /** Orchestrator -> anyone: the event log, as JSON, for downstream consumers. */
    public static final String EVENTS = "ferry.migration-events";

    private Topics() {}

    public static String commandsFor(String host) {
        return COMMANDS_PREFIX + host;
    }
}
