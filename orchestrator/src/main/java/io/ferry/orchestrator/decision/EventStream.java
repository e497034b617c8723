package io.ferry.orchestrator.decision;

import java.util.List;
import java.util.UUID;

/** Append-only streams of events, one per id. */
public interface EventStream<E> {
    List<Recorded<E>> load(UUID stream);

    /** @throws ConcurrentAppendException when {@code expectedVersion} is no longer the stream's last version */
    List<Recorded<E>> append(UUID stream, int expectedVersion, List<E> events, EventMetadata meta);
}
