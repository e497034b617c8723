package io.ferry.orchestrator.api;

/** A query parameter that is missing or out of range: a 400 naming it ({@code field}) and what it takes. */
public final class InvalidParameter extends RuntimeException {
    private final String field;

    public InvalidParameter(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
