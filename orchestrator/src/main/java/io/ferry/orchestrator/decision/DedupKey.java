package io.ferry.orchestrator.decision;

/** A consumer and a message id: an input under a key already seen is decided at most once. */
public record DedupKey(String consumer, String messageId) {}
