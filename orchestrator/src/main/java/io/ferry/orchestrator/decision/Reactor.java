package io.ferry.orchestrator.decision;

/** A side effect of appended events. Adding a side effect means adding a reactor bean. */
public interface Reactor<C, E, S> {
    /** In the append's transaction: what it writes exists exactly when the events do; throwing rolls the append back. */
    default void inTransaction(Appended<C, E, S> appended) {}

    /** After the commit, never after a rollback; an exception here is logged, the events stay. */
    default void afterCommit(Appended<C, E, S> appended) {}
}
