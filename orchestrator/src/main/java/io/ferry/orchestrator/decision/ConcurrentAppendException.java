package io.ferry.orchestrator.decision;

/** Another writer appended to the same migration first; reload and decide again. */
public final class ConcurrentAppendException extends RuntimeException {
    public ConcurrentAppendException(String message, Throwable cause) {
        super(message, cause);
    }
}
