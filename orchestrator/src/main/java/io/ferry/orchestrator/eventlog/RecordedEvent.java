package io.ferry.orchestrator.eventlog;

import io.ferry.orchestrator.core.MigrationEvent;
import java.time.Instant;
import java.util.UUID;

/** An event as the log holds it, with its envelope. */
public record RecordedEvent(long position, UUID eventId, UUID migrationId, int version, String type, MigrationEvent event,
        String payloadJson, String causationId, String correlationId, String actor, Instant recordedAt) {}
