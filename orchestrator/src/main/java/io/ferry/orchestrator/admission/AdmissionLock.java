package io.ferry.orchestrator.admission;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One admitter at a time across orchestrator instances: a session advisory lock, held on one pooled connection while
 * the admissions decide, each in a transaction of its own on another connection. A transaction-scoped lock would need
 * the decisions inside its transaction, where a retry after a version conflict would run in an aborted one.
 */
@Component
class AdmissionLock {
    private static final long KEY = 0x666572727941L; // "ferryA"
    private final JdbcTemplate jdbc;

    AdmissionLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Runs {@code work} under the lock, or not at all when another instance holds it. */
    void tryRun(Runnable work) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            if (call(connection, "select pg_try_advisory_lock(?)")) {
                try {
                    work.run();
                } finally {
                    call(connection, "select pg_advisory_unlock(?)");
                }
            }
            return null;
        });
    }

    private static boolean call(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, KEY);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
