package io.ferry.orchestrator.decision;

import java.time.Instant;
import java.util.UUID;

/** An event as the log holds it, with its envelope. */
public record Recorded<E>(long position, UUID eventId, UUID streamId, int version, String type, E event,
        String payloadJson, String causationId, String correlationId, String actor, Instant recordedAt) {}
