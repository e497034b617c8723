package io.ferry.orchestrator.decision;

import java.time.Instant;
import java.util.List;

/** A pure state machine: what an input decides in a state, and how each event moves the state. */
public interface Decider<C, E, S> {
    S initial();

    List<E> decide(C input, S state);

    S evolve(S state, E event, Instant at);
}
