package io.ferry.orchestrator.api;

/** Nothing by that id: a 404 naming it, from whichever endpoint asked. */
public final class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }

    /** The answer for a migration id that names none. */
    public static NotFound migration(String id) {
        return new NotFound("no migration " + id + "; list them with GET /api/migrations");
    }
}
