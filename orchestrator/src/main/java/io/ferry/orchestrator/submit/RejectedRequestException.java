package io.ferry.orchestrator.submit;

import java.util.Optional;

/** A request that cannot become a migration; the message says what was wrong and what to do. */
public final class RejectedRequestException extends RuntimeException {
    public enum Reason { MALFORMED, INVALID_REQUEST, VM_NOT_FOUND, SOURCE_MISMATCH, DESTINATION_UNKNOWN, SAME_HOST,
        INSUFFICIENT_MEMORY, VM_ALREADY_MIGRATING, HOST_UNREACHABLE, CPU_INCOMPATIBLE, REQUEST_ID_CONFLICT,
        /** The named destination is DRAINING or in MAINTENANCE. */
        HOST_NOT_ACTIVE,
        /** No destination was named and no host passes every pre-check. */
        NO_DESTINATION }

    private final Reason reason;
    private final String field;

    public RejectedRequestException(Reason reason, String message) {
        this(reason, null, message);
    }

    /** @param field the request field at fault, so a client can point at it */
    public RejectedRequestException(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
