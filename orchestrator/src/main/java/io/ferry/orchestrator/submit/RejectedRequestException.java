package io.ferry.orchestrator.submit;

/** A request that cannot become a migration; the message says what was wrong and what to do. */
public final class RejectedRequestException extends RuntimeException {
    public enum Reason { MALFORMED, INVALID_REQUEST, VM_NOT_FOUND, SOURCE_MISMATCH, DESTINATION_UNKNOWN, SAME_HOST,
        INSUFFICIENT_MEMORY, VM_ALREADY_MIGRATING, HOST_UNREACHABLE, CPU_INCOMPATIBLE }

    private final Reason reason;

    public RejectedRequestException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
