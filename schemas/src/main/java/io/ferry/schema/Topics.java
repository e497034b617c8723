package io.ferry.schema;

/** Every Kafka topic ferry uses: the one place their names are written (orchestrator, agents and cli use these). */
public final class Topics {
    /** Clients -> orchestrator: migration requests (Avro single-object encoding). */
    public static final String REQUESTS = "ferry.migration-requests";
    /** Requests that could not become a migration, with the error (JSON envelope). */
    public static final String REQUESTS_DLQ = "ferry.migration-requests.dlq";
    /** Orchestrator -> agent on one host: stage commands. */
    public static final String COMMANDS_PREFIX = "ferry.agent-commands.";
    /** The agent's listener: its own host's command topic, as a compile-time constant for {@code @KafkaListener}. */
    public static final String COMMANDS_LISTENER = COMMANDS_PREFIX + "${ferry.agent.host}";
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
