package io.ferry.orchestrator.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause built from optional filters: each filter given (not null) adds its condition and its arguments, in
 * order, so the SQL and its arguments cannot drift apart. Column names come from code, never from a request.
 */
public final class Where {
    private final StringBuilder sql = new StringBuilder(" where true");
    private final List<Object> args = new ArrayList<>();

    public Where() {}

    /** {@code column = value}, when a value is given. */
    public Where eq(String column, Object value) {
        if (value != null) {
            sql.append(" and ").append(column).append(" = ?");
            args.add(value);
        }
        return this;
    }

    /** {@code value} in either column, when given. */
    public Where either(String column, String other, Object value) {
        if (value != null) {
            sql.append(" and (").append(column).append(" = ? or ").append(other).append(" = ?)");
            args.add(value);
            args.add(value);
        }
        return this;
    }

    /** {@code from <= column < to}, each bound when given. */
    public Where between(String column, Instant from, Instant to) {
        if (from != null) {
            sql.append(" and ").append(column).append(" >= ?");
            args.add(Timestamp.from(from));
        }
        if (to != null) {
            sql.append(" and ").append(column).append(" < ?");
            args.add(Timestamp.from(to));
        }
        return this;
    }

    public String sql() {
        return sql.toString();
    }

    public List<Object> args() {
        return args;
    }

    @Override
    public String toString() {
        return sql();
    }
}
