package io.ferry.orchestrator.core;

/** One thing the orchestrator asks one host agent to do. */
public enum StageAction {
    PREPARE_DESTINATION(Stage.SETUP),
    CONNECT_SOURCE(Stage.SETUP),
    START_PRECOPY(Stage.PRECOPY),
    FINAL_COPY(Stage.FINAL_COPY),
    RELEASE_STORAGE(Stage.STORAGE),
    ACQUIRE_STORAGE(Stage.STORAGE),
    RESUME(Stage.RESUMING),
    ANNOUNCE_NETWORK(Stage.NETWORK_CLEANUP),
    STOP_SOURCE(Stage.NETWORK_CLEANUP),
    /** Roll back this host's part of a migration that failed before resume. */
    ABORT(null);

    private final Stage stage;

    StageAction(Stage stage) {
        this.stage = stage;
    }

    /** @return the stage this action belongs to, or null for {@link #ABORT}, which belongs to none. */
    public Stage stage() {
        return stage;
    }
}
