package io.ferry.schema;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every state a migration is stored and shown in, in lifecycle order: queued, the six stages, unwinding, and the four
 * outcomes. The one place these names and their groups are written; the orchestrator's read model, REST, metrics,
 * the cli and the bench read them from here.
 */
public enum MigrationStatus {
    QUEUED("queued"),
    SETUP("1/6 setup"),
    PRECOPY("2/6 memory pre-copy"),
    FINAL_COPY("3/6 final copy"),
    STORAGE("4/6 storage"),
    RESUMING("5/6 resume"),
    NETWORK_CLEANUP("6/6 network cleanup"),
    CANCELLING("cancelling"),
    ROLLING_BACK("rolling back"),
    COMPLETED("completed"),
    CANCELLED("cancelled"),
    ROLLED_BACK("rolled back"),
    FAILED("failed");

    /** In a stage or rolling back: holds a slot of the limits and is watched for timeouts. */
    public static final Set<MigrationStatus> IN_FLIGHT = Collections.unmodifiableSet(EnumSet.range(SETUP, ROLLING_BACK));
    /** Nothing more will happen to it. */
    public static final Set<MigrationStatus> TERMINAL = Collections.unmodifiableSet(EnumSet.range(COMPLETED, FAILED));

    private final String progressLabel;

    MigrationStatus(String progressLabel) {
        this.progressLabel = progressLabel;
    }

    /** What a progress line shows, e.g. "2/6 memory pre-copy". */
    public String progressLabel() {
        return progressLabel;
    }

    public boolean terminal() {
        return TERMINAL.contains(this);
    }

    public boolean inFlight() {
        return IN_FLIGHT.contains(this);
    }

    /** The stored name of a status, or null for a name that is none (a state this version does not know). */
    public static MigrationStatus parse(String name) {
        for (MigrationStatus status : values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        return null;
    }

    /** The names, in lifecycle order. */
    public static List<String> names(Set<MigrationStatus> statuses) {
        return statuses.stream().sorted().map(Enum::name).toList();
    }

    /**
     * The names as an SQL literal list, {@code 'A', 'B'}: for predicates that must match a partial index's, which a
     * bound array parameter would not.
     */
    public static String sqlList(Set<MigrationStatus> statuses) {
        return statuses.stream().sorted().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }
}
