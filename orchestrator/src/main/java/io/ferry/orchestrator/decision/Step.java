package io.ferry.orchestrator.decision;

/** One appended event and the state right after it (a command built from an event needs that state). */
public record Step<E, S>(Recorded<E> recorded, S stateAfter) {}
