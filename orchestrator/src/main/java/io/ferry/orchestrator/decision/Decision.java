package io.ferry.orchestrator.decision;

import java.util.List;

/**
 * The outcome of one input: the state before and after it and the events it added (none when the state ignored it,
 * or when it was a duplicate, whose state is read but not changed).
 */
public record Decision<E, S>(S before, S after, List<Recorded<E>> added, boolean duplicate) {}
