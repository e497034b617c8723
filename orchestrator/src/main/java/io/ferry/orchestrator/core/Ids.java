package io.ferry.orchestrator.core;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** Small validating identifiers. Each rejects a bad value with a message that names the field and the rule. */
public final class Ids {
    private static final Pattern HOST = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
    private static final Pattern VM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern REQUEST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private Ids() {}

    static String require(String field, String value, Pattern pattern, String rule) {
        Objects.requireNonNull(value, field + " is required");
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value + "' is invalid: " + rule);
        }
        return value;
    }

    public record MigrationId(UUID value) {
        public MigrationId {
            Objects.requireNonNull(value, "migration id is required");
        }

        public static MigrationId parse(String text) {
            try {
                return new MigrationId(UUID.fromString(text));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("migration id '" + text + "' is not a UUID");
            }
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    /** A host drain: its own event stream, like a migration's. */
    public record DrainId(UUID value) {
        public DrainId {
            Objects.requireNonNull(value, "drain id is required");
        }

        public static DrainId parse(String text) {
            try {
                return new DrainId(UUID.fromString(text));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("drain id '" + text + "' is not a UUID");
            }
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    public record HostId(String value) {
        public HostId {
            require("host", value, HOST, "use lower-case letters, digits, '.' and '-' (for example hv-01)");
        }

        @Override
        public String toString() {
            return value;
        }
    }

    public record VmId(String value) {
        public VmId {
            require("vmId", value, VM, "use letters, digits, '_', '.' and '-', at most 64 characters");
        }

        @Override
        public String toString() {
            return value;
        }
    }

    public record RequestId(String value) {
        public RequestId {
            require("requestId", value, REQUEST, "use letters, digits, '_', '.', ':' and '-', at most 128 characters");
        }

        @Override
        public String toString() {
            return value;
        }
    }

    public record CommandId(UUID value) {
        public CommandId {
            Objects.requireNonNull(value, "command id is required");
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }
}
