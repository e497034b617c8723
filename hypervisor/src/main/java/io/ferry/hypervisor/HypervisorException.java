package io.ferry.hypervisor;

import io.ferry.schema.common.FailureReason;

/** A stage could not be done, for a reason from the contract's one list; the message says the rest. */
public class HypervisorException extends RuntimeException {
    private final FailureReason code;

    public HypervisorException(FailureReason code, String message) {
        super(message);
        this.code = code;
    }

    public HypervisorException(FailureReason code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public FailureReason code() {
        return code;
    }

    /** The reason's name, as an outcome carries it on the wire. */
    public String reason() {
        return code.name();
    }
}
