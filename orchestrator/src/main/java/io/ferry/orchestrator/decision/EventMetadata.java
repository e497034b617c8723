package io.ferry.orchestrator.decision;

import java.time.Instant;

/** Who caused an append, why, and when: stored with every event of that append. */
public record EventMetadata(String actor, String causationId, String correlationId, Instant recordedAt) {
    public EventMetadata withCorrelationId(String id) {
        return new EventMetadata(actor, causationId, id, recordedAt);
    }
}
