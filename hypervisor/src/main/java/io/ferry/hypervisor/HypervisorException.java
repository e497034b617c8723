package io.ferry.hypervisor;

/** A stage could not be done; {@code reason} is one of the orchestrator's FailureReason names. */
public class HypervisorException extends RuntimeException {
    private final String reason;

    public HypervisorException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public HypervisorException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
