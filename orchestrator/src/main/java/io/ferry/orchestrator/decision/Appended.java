package io.ferry.orchestrator.decision;

import java.util.List;
import java.util.UUID;

/**
 * What one input appended, as the reactors see it.
 *
 * @param versionBefore the stream's version the events follow
 * @param meta the metadata stored with the events (correlation id filled in)
 */
public record Appended<C, E, S>(UUID stream, C input, int versionBefore, S before, List<Step<E, S>> steps, S after,
        EventMetadata meta) {
    public List<Recorded<E>> added() {
        return steps.stream().map(Step::recorded).toList();
    }

    public int versionAfter() {
        return versionBefore + steps.size();
    }
}
